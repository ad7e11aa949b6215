import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { colorIcon, outlineIcon } from './icons.js';
import { fillManifest, type ManifestValues } from './manifest.js';
import { encodePng } from './png.js';
import { zip } from './zip.js';

export const MANIFEST_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../../manifests/teams');

/** The Teams app package (upload it in Teams → Apps → Manage your apps → Upload an app). */
export async function buildTeamsPackage(values: ManifestValues, dir = MANIFEST_DIR): Promise<Buffer> {
  const { text } = fillManifest(await readFile(join(dir, 'manifest.json'), 'utf8'), values);
  return zip([
    { name: 'manifest.json', data: Buffer.from(text) },
    { name: 'color.png', data: await readFile(join(dir, 'color.png')) },
    { name: 'outline.png', data: await readFile(join(dir, 'outline.png')) },
  ]);
}

/** Redraws the committed icons (run with `--icons` after changing icons.ts). */
export async function writeIcons(dir = MANIFEST_DIR): Promise<void> {
  await writeFile(join(dir, 'color.png'), encodePng(colorIcon()));
  await writeFile(join(dir, 'outline.png'), encodePng(outlineIcon()));
}

async function main(): Promise<void> {
  if (process.argv.includes('--icons')) {
    await writeIcons();
    console.log(`Wrote ${join(MANIFEST_DIR, 'color.png')} and outline.png`);
    return;
  }
  const appId = process.env['MicrosoftAppId'];
  const botDomain = process.env['TEAMS_BOT_DOMAIN'];
  if (!appId || !botDomain) {
    throw new Error('Set MicrosoftAppId (the Azure Bot\'s app id) and TEAMS_BOT_DOMAIN (the host Teams reaches /api/messages on, e.g. warden.example.com).');
  }
  const out = process.argv[2] && !process.argv[2].startsWith('--') ? process.argv[2] : 'dist/warden-teams.zip';
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, await buildTeamsPackage({ appId, botDomain }));
  console.log(`Wrote ${out}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
