/** One problem in one config source, located well enough for an admin to fix it without reading code. */
export interface ConfigIssue {
  /** Field path like `users[2].slackId`; empty when the problem is the whole file (missing, unreadable, bad syntax). */
  path: string;
  /** What is wrong and what a valid value looks like. */
  message: string;
  /** 1-based line in the file, when the file could be parsed far enough to know it. */
  line?: number;
}

/** Lines beyond this are summarised: a systematic mistake repeated 300 times should not bury the first one. */
const MAX_LINES = 25;

/**
 * A config source (a policy file, or the process environment) is invalid. Start-up stops with
 * `format()`, which is also the `message`, so an unhandled throw still prints something actionable.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';

  constructor(
    /** The file path as the operator wrote it, or `environment` for process variables. */
    readonly file: string,
    readonly issues: ConfigIssue[],
  ) {
    super(formatIssues(file, issues));
  }

  /** One line per issue: `file[:line]: path: message`, the shape editors and terminals make clickable. */
  format(): string {
    return formatIssues(this.file, this.issues);
  }
}

function formatIssues(file: string, issues: ConfigIssue[]): string {
  const lines = issues.slice(0, MAX_LINES).map((issue) => {
    const where = issue.line === undefined ? file : `${file}:${issue.line}`;
    return issue.path ? `${where}: ${issue.path}: ${issue.message}` : `${where}: ${issue.message}`;
  });
  if (issues.length > MAX_LINES) lines.push(`${file}: … and ${issues.length - MAX_LINES} more problem(s)`);
  return lines.join('\n');
}

/** `['users', 2, 'slackId']` → `users[2].slackId`, the way the admin would point at it in the YAML. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}
