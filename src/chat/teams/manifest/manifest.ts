import { z } from 'zod';

/*
 * The Teams app manifest (manifests/teams/manifest.json) is a template: the bot's app id and the
 * domain it is served from differ per installation. These checks hold the filled manifest to the
 * limits Teams enforces on upload, so a mistake shows here rather than in the Teams admin center.
 */

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
// A bare host name: Teams' validDomains take no scheme and no path.
const DOMAIN = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

const Command = z.object({ title: z.string().min(1).max(32), description: z.string().min(1).max(128) });

export const TeamsManifestSchema = z.object({
  $schema: z.string().url(),
  manifestVersion: z.string(),
  version: z.string().regex(/^\d+\.\d+\.\d+$/),
  id: z.string().regex(GUID, 'the Microsoft App ID (a GUID)'),
  developer: z.object({ name: z.string().min(1).max(32), websiteUrl: z.string().url().startsWith('https://'), privacyUrl: z.string().url().startsWith('https://'), termsOfUseUrl: z.string().url().startsWith('https://') }),
  name: z.object({ short: z.string().min(1).max(30), full: z.string().max(100) }),
  description: z.object({ short: z.string().min(1).max(80), full: z.string().min(1).max(4000) }),
  icons: z.object({ color: z.literal('color.png'), outline: z.literal('outline.png') }),
  accentColor: z.string().regex(/^#[0-9A-Fa-f]{6}$/),
  bots: z
    .array(
      z.object({
        botId: z.string().regex(GUID),
        scopes: z.array(z.enum(['personal', 'team', 'groupChat'])).min(1),
        commandLists: z.array(z.object({ scopes: z.array(z.enum(['personal', 'team', 'groupChat'])).min(1), commands: z.array(Command).min(1).max(10) })).max(3),
      }),
    )
    .length(1),
  permissions: z.array(z.enum(['identity', 'messageTeamMembers'])),
  validDomains: z.array(z.string().regex(DOMAIN, 'a host name without scheme or path')).min(1),
});
export type TeamsManifest = z.infer<typeof TeamsManifestSchema>;

export interface ManifestValues {
  appId: string;
  /** The host Teams reaches the bot on, e.g. warden.example.com (no https://). */
  botDomain: string;
}

/**
 * Fills the template's {{placeholders}} and checks the result; throws naming what is wrong. Returns
 * the filled text as written (the schema checks what Warden relies on; other fields pass untouched).
 */
export function fillManifest(template: string, values: ManifestValues): { text: string; manifest: TeamsManifest } {
  const filled = template.replace(/\{\{(MicrosoftAppId|TEAMS_BOT_DOMAIN)\}\}/g, (_m, name: string) => (name === 'MicrosoftAppId' ? values.appId.toLowerCase() : values.botDomain));
  const leftover = /\{\{[^}]+\}\}/.exec(filled);
  if (leftover) throw new Error(`manifests/teams/manifest.json: unknown placeholder ${leftover[0]}`);
  const parsed = TeamsManifestSchema.safeParse(JSON.parse(filled));
  if (!parsed.success) {
    throw new Error(`manifests/teams/manifest.json: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  }
  const bot = parsed.data.bots[0]!;
  if (bot.botId !== parsed.data.id) throw new Error('manifests/teams/manifest.json: bots[0].botId must be the app id');
  return { text: filled, manifest: parsed.data };
}
