/**
 * Where a scan's result files are read from: a local folder (the playground, `/scan import`) or an
 * S3 prefix (Step Functions runs). Parsers only see this, so they work the same on both.
 */
export interface ResultFile {
  /** Path relative to the results' root, as shown in messages ("prowler/output.ocsf.json"). */
  name: string;
  open(): Promise<AsyncIterable<Buffer | string>>;
}

export interface ResultFolder {
  /** Shown in messages: the folder or the S3 URL. */
  name: string;
  /** Every file under the folder, recursively, with names relative to it, in a stable order. */
  files(): AsyncIterable<ResultFile>;
}

/** The part of a path after its last "/". */
export function baseName(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? path : path.slice(at + 1);
}

/** The part of a path before its last "/" ("" at the top). */
export function dirName(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}
