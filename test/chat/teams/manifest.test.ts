import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fillManifest } from '../../../src/chat/teams/manifest/manifest.js';
import { buildTeamsPackage, MANIFEST_DIR } from '../../../src/chat/teams/manifest/pack.js';
import { decodePng } from '../../../src/chat/teams/manifest/png.js';
import { unzip } from '../../../src/chat/teams/manifest/zip.js';
import { COMMANDS } from '../../../src/chat/teams/handlers/text.js';

const values = { appId: '5E1F0C2A-7B3D-4C8E-9F10-2A3B4C5D6E7F', botDomain: 'warden.example.com' };

describe('the Teams app package', () => {
  it('fills the manifest: bot in personal and team scope, the command menu the bot understands, the bot domain', async () => {
    const { manifest, text } = fillManifest(await readFile(join(MANIFEST_DIR, 'manifest.json'), 'utf8'), values);
    expect(manifest.id).toBe(values.appId.toLowerCase());
    expect(manifest.bots[0]?.botId).toBe(manifest.id);
    expect(manifest.bots[0]?.scopes).toEqual(['personal', 'team']);
    expect(manifest.validDomains).toEqual(['warden.example.com']);
    const titles = manifest.bots[0]!.commandLists.flatMap((l) => l.commands.map((c) => c.title));
    // Every menu entry is a command the bot parses (access <name>, or help).
    for (const title of titles) expect(COMMANDS.some((c) => title === `access ${c}` || title === c)).toBe(true);
    expect(text).toContain('"isNotificationOnly": false');
  });

  it('refuses a manifest Teams would refuse', async () => {
    const template = await readFile(join(MANIFEST_DIR, 'manifest.json'), 'utf8');
    expect(() => fillManifest(template, { ...values, appId: 'warden' })).toThrow(/id: the Microsoft App ID/);
    expect(() => fillManifest(template, { ...values, botDomain: 'https://warden.example.com/api' })).toThrow(/validDomains/);
  });

  it('zips the manifest and both icons at the root: a 192 px colour icon and a 32 px white-on-transparent outline', async () => {
    const entries = unzip(await buildTeamsPackage(values), inflateRawSync);
    expect(entries.map((e) => e.name)).toEqual(['manifest.json', 'color.png', 'outline.png']);
    const color = decodePng(entries[1]!.data);
    expect([color.width, color.height]).toEqual([192, 192]);
    const outline = decodePng(entries[2]!.data);
    expect([outline.width, outline.height]).toEqual([32, 32]);
    for (let i = 0; i < outline.pixels.length; i += 4) {
      const [r, g, b, a] = outline.pixels.subarray(i, i + 4);
      expect(a === 0 || (r === 255 && g === 255 && b === 255)).toBe(true);
    }
  });
});
