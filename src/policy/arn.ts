/**
 * Segment-aware ARNs, driven by the IAM catalog's ARN formats such as
 * `arn:${Partition}:s3:::${BucketName}/${ObjectName}`.
 *
 * A variable matches one segment: it never contains "/" or ":". The exception is a variable that
 * ends some format of its service and is never followed by that separator in any other format of
 * the service: ObjectName ends the object format and nothing follows it, so it may hold "a/b:c";
 * BucketName ends the bucket format but is followed by "/" in the object format, so a bucket name
 * never holds "/" and an object ARN is never taken for a bucket ARN. The same rule lets a log group
 * name hold "/" inside a log-stream ARN while keeping ":" as the log-stream separator.
 */

export interface ParsedArn {
  partition: string;
  service: string;
  region: string;
  account: string;
  /** Everything after the fifth colon, its own colons included. */
  resource: string;
}

export type ArnValues = Readonly<Record<string, string>>;

export interface ArnPattern {
  readonly format: string;
  /** Variable names in order of appearance, e.g. ["Partition", "BucketName", "ObjectName"]. */
  readonly variables: readonly string[];
  /** The variable values when `arn` has this format, else undefined. */
  match(arn: string): Record<string, string> | undefined;
  matches(arn: string): boolean;
  /** Throws ArnBuildError when a value is missing or would spill into another segment. */
  build(values: ArnValues): string;
}

export class ArnBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ArnBuildError';
  }
}

const SEGMENT_SEPARATORS = ['/', ':'] as const;
type Separator = (typeof SEGMENT_SEPARATORS)[number];

type Token = { kind: 'literal'; text: string } | { kind: 'variable'; name: string };

export function parseArn(arn: string): ParsedArn | undefined {
  if (/\s/.test(arn)) return undefined;
  const fields = arn.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = fields;
  const resource = fields.slice(5).join(':');
  if (!partition || !service || !resource) return undefined;
  return { partition, service, region, account, resource };
}

function tokenize(format: string): Token[] {
  const tokens: Token[] = [];
  const variable = /\$\{([^}]+)\}/g;
  let last = 0;
  for (const m of format.matchAll(variable)) {
    const at = m.index;
    if (at > last) tokens.push({ kind: 'literal', text: format.slice(last, at) });
    tokens.push({ kind: 'variable', name: m[1] ?? '' });
    last = at + m[0].length;
  }
  if (last < format.length) tokens.push({ kind: 'literal', text: format.slice(last) });
  return tokens;
}

/** The part of a format after its fifth colon, where the segment rules apply. */
function resourcePart(format: string): string {
  const fields = format.split(':');
  return fields.slice(5).join(':');
}

/** For each variable of the service's formats: may it hold "/" and ":"? See the module comment. */
function separatorsAllowed(serviceFormats: readonly string[]): Map<string, Set<Separator>> {
  const endsAFormat = new Set<string>();
  const followedBy = new Map<string, Set<string>>();
  for (const format of serviceFormats) {
    const tokens = tokenize(resourcePart(format));
    tokens.forEach((token, i) => {
      if (token.kind !== 'variable') return;
      const next = tokens[i + 1];
      if (next === undefined) endsAFormat.add(token.name);
      else if (next.kind === 'literal') {
        const seen = followedBy.get(token.name) ?? new Set<string>();
        seen.add(next.text.charAt(0));
        followedBy.set(token.name, seen);
      }
    });
  }
  const allowed = new Map<string, Set<Separator>>();
  for (const name of endsAFormat) {
    const followers = followedBy.get(name) ?? new Set<string>();
    allowed.set(name, new Set(SEGMENT_SEPARATORS.filter((sep) => !followers.has(sep))));
  }
  return allowed;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A literal "*" in a catalog format (e.g. dms `cert:*`) stands for any text. */
function literalPattern(text: string): string {
  return text.split('*').map(escapeRegExp).join('[^\\s]*');
}

function variableClass(allowed: ReadonlySet<Separator> | undefined): string {
  const excluded = SEGMENT_SEPARATORS.filter((sep) => !allowed?.has(sep)).join('');
  return `[^\\s${excluded}]`;
}

/**
 * Compiles one catalog ARN format. `serviceFormats` are every format of the same service; they
 * decide which variables may hold "/" or ":" (see the module comment). Pass the format alone to
 * treat every variable as one segment except the last.
 */
export function compileArnFormat(format: string, serviceFormats: readonly string[] = [format]): ArnPattern {
  const fields = format.split(':');
  if (fields.length < 6 || fields[0] !== 'arn') throw new Error(`Not an ARN format: ${format}`);
  const header = fields.slice(0, 5).join(':') + ':';
  const allowed = separatorsAllowed(serviceFormats.includes(format) ? serviceFormats : [...serviceFormats, format]);

  const headerTokens = tokenize(header);
  const resourceTokens = tokenize(resourcePart(format));
  const classes = new Map<string, string>();
  const parts: string[] = [];
  const order: string[] = [];
  for (const token of headerTokens) {
    if (token.kind === 'literal') parts.push(literalPattern(token.text));
    else {
      classes.set(token.name, '[^\\s:/]');
      parts.push(`([^\\s:/]+)`);
      order.push(token.name);
    }
  }
  for (const token of resourceTokens) {
    if (token.kind === 'literal') parts.push(literalPattern(token.text));
    else {
      const cls = variableClass(allowed.get(token.name));
      classes.set(token.name, cls);
      parts.push(`(${cls}+)`);
      order.push(token.name);
    }
  }
  const regex = new RegExp(`^${parts.join('')}$`);
  const variables = [...new Set(order)];

  const match = (arn: string): Record<string, string> | undefined => {
    const m = regex.exec(arn);
    if (!m) return undefined;
    const values: Record<string, string> = {};
    for (const [i, name] of order.entries()) {
      const value = m[i + 1] ?? '';
      if (values[name] !== undefined && values[name] !== value) return undefined;
      values[name] = value;
    }
    return values;
  };

  const build = (values: ArnValues): string => {
    const fill = (token: Token): string => {
      if (token.kind === 'literal') return token.text;
      const value = values[token.name];
      if (value === undefined || value === '') throw new ArnBuildError(`${format} needs a value for ${token.name}.`);
      const cls = classes.get(token.name) ?? '[^\\s:/]';
      if (!new RegExp(`^${cls}+$`).test(value)) {
        throw new ArnBuildError(`"${value}" is not a valid ${token.name}: it would cross an ARN segment.`);
      }
      return value;
    };
    const arn = [...headerTokens, ...resourceTokens].map(fill).join('');
    // Values can still combine into a different shape (e.g. a "-" split); refuse rather than guess.
    if (!regex.test(arn)) throw new ArnBuildError(`${arn} does not have the format ${format}.`);
    return arn;
  };

  return { format, variables, match, matches: (arn) => match(arn) !== undefined, build };
}
