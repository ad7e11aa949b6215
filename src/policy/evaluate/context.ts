/**
 * The request context: the condition keys AWS would attach to a request, and their values. Key
 * names are case-insensitive in IAM, so they are stored lower-case. A list value is a multivalued
 * key (aws:TagKeys, aws:PrincipalOrgPaths…); a string is a single-valued one.
 */

export type ContextValue = string | readonly string[];

export interface RequestContext {
  get(key: string): ContextValue | undefined;
  has(key: string): boolean;
  /** A copy with one key set (undefined removes it); the original is never changed. */
  with(key: string, value: ContextValue | undefined): RequestContext;
  entries(): [string, ContextValue][];
}

type ContextInput = string | number | boolean | Date | readonly string[];

class MapContext implements RequestContext {
  constructor(private readonly values: ReadonlyMap<string, { key: string; value: ContextValue }>) {}

  get(key: string): ContextValue | undefined {
    return this.values.get(key.toLowerCase())?.value;
  }

  has(key: string): boolean {
    return this.values.has(key.toLowerCase());
  }

  with(key: string, value: ContextValue | undefined): RequestContext {
    const next = new Map(this.values);
    if (value === undefined) next.delete(key.toLowerCase());
    else next.set(key.toLowerCase(), { key, value });
    return new MapContext(next);
  }

  entries(): [string, ContextValue][] {
    return [...this.values.values()].map(({ key, value }) => [key, value]);
  }
}

/** IAM's date format: ISO 8601 in UTC without milliseconds, as in aws:CurrentTime. */
export function iamTime(at: Date): string {
  return at.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function toValue(value: ContextInput): ContextValue {
  if (value instanceof Date) return iamTime(value);
  if (typeof value === 'string' || typeof value === 'object') return value;
  return String(value);
}

/** A context from plain values; Dates become IAM times, booleans "true"/"false". */
export function createRequestContext(values: Readonly<Record<string, ContextInput | undefined>> = {}): RequestContext {
  const map = new Map<string, { key: string; value: ContextValue }>();
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined) map.set(key.toLowerCase(), { key, value: toValue(value) });
  }
  return new MapContext(map);
}

/** What Warden knows about a request, in words; `principalContext` turns it into condition keys. */
export interface PrincipalFacts {
  /** The requester's IAM principal, e.g. arn:aws:iam::111111111111:role/ana. */
  principalArn: string;
  /** Tags on the principal (aws:PrincipalTag/<key>). */
  principalTags?: Readonly<Record<string, string>>;
  /** The time the request is made (aws:CurrentTime, aws:EpochTime). */
  time: Date;
  /** aws:MultiFactorAuthPresent; left out of the context when unknown, as AWS does for long-term keys. */
  mfa?: boolean;
  sourceIp?: string;
  sourceVpc?: string;
  /** aws:PrincipalOrgID and aws:PrincipalOrgPaths, when the account is in an organization. */
  orgId?: string;
  orgPaths?: readonly string[];
}

/**
 * The global keys AWS sets for a signed request by this principal. aws:username exists only for IAM
 * users; aws:userid for a role session is "<role id>:<session>", which Warden cannot know, so it is left out.
 */
export function principalContext(facts: PrincipalFacts): Record<string, ContextInput | undefined> {
  const account = facts.principalArn.split(':')[4] ?? '';
  const resource = facts.principalArn.split(':').slice(5).join(':');
  const values: Record<string, ContextInput | undefined> = {
    'aws:PrincipalArn': facts.principalArn,
    'aws:PrincipalAccount': account,
    'aws:PrincipalType': resource.startsWith('user/') ? 'User' : resource.startsWith('role/') ? 'AssumedRole' : undefined,
    'aws:username': resource.startsWith('user/') ? resource.split('/').at(-1) : undefined,
    'aws:CurrentTime': facts.time,
    'aws:EpochTime': String(Math.floor(facts.time.getTime() / 1000)),
    'aws:SecureTransport': true,
    'aws:MultiFactorAuthPresent': facts.mfa,
    'aws:SourceIp': facts.sourceIp,
    'aws:SourceVpc': facts.sourceVpc,
    'aws:PrincipalOrgID': facts.orgId,
    'aws:PrincipalOrgPaths': facts.orgPaths,
  };
  for (const [tag, value] of Object.entries(facts.principalTags ?? {})) values[`aws:PrincipalTag/${tag}`] = value;
  return values;
}
