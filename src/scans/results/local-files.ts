import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { ResultFile, ResultFolder } from './files.js';

const CHUNK_BYTES = 256 * 1024;

export function localFile(path: string, name = path): ResultFile {
  return { name, open: async () => createReadStream(path, { highWaterMark: CHUNK_BYTES }) };
}

async function* walk(root: string, dir: string): AsyncGenerator<ResultFile> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(root, full);
    else if (entry.isFile()) yield localFile(full, relative(root, full).split(sep).join('/'));
  }
}

export function localFolder(path: string): ResultFolder {
  return { name: path, files: () => walk(path, path) };
}
