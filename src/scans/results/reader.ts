import type { ResultFolder } from './files.js';

/**
 * Opens a results location: the execution output's `location` (s3://bucket/prefix, or a local
 * folder when the scanners run next to the bot), or a sub-folder of it.
 */
export interface ResultsReader {
  folder(location: string): ResultFolder;
}

/** `location` + "/" + `name`, for s3:// URLs and paths alike. */
export function joinLocation(location: string, name: string): string {
  return `${location.replace(/\/+$/, '')}/${name.replace(/^\/+/, '')}`;
}
