import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { z } from 'zod';

const ManifestCommands = z.looseObject({
  features: z.looseObject({ slash_commands: z.array(z.looseObject({ command: z.string() })).default([]) }).optional(),
});

/** The Slack app manifest names the commands Slack would route to the app (src/ and dist/ alike). */
export const DEFAULT_MANIFEST = new URL('../../../manifests/slack.yaml', import.meta.url);

/**
 * Slack only delivers commands an app registered; anything else gets "/x is not a valid command"
 * from Slack itself. Without a readable manifest, every command is passed on.
 */
export async function registeredCommands(manifest: URL = DEFAULT_MANIFEST): Promise<string[] | undefined> {
  try {
    const parsed = ManifestCommands.safeParse(parse(await readFile(manifest, 'utf8')));
    return parsed.success ? (parsed.data.features?.slash_commands ?? []).map((c) => c.command.toLowerCase()) : undefined;
  } catch {
    return undefined;
  }
}
