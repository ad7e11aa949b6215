import type { IamCatalog } from './catalog.js';
import { parseArn } from './arn.js';
import { transformName, type Subject } from './subjects.js';
import { article } from './wording.js';

/** A resource the requester named, as the variables of its ARN. */
export interface Target {
  /** As the requester wrote it. */
  given: string;
  /** The subject's name variable, plus whatever a given ARN fixed (Region, Account, ObjectName…). */
  values: Record<string, string>;
}

export type TargetResult = { ok: true; target: Target } | { ok: false; problem: string };

const WILDCARD = /[*?]/;
/** Variables that decide which resource it is; a wildcard there would widen the grant. */
const EXACT_VARIABLES = ['Partition', 'Region', 'Account'];

async function fromArn(catalog: IamCatalog, subject: Subject, arn: string): Promise<TargetResult> {
  const accepted = [subject.target, ...(subject.narrowerTypes ?? [])].map((t) => t.toLowerCase());
  const matches = await catalog.matchResourceTypes(subject.service, arn);
  const match = matches
    .filter((m) => accepted.includes(m.type.toLowerCase()))
    .sort((a, b) => accepted.indexOf(a.type.toLowerCase()) - accepted.indexOf(b.type.toLowerCase()))[0];
  if (!match) {
    const other = matches[0]?.type;
    const what = other ? ` (it is ${article(other)} ARN)` : '';
    return { ok: false, problem: `${arn} is not the ARN of ${article(subject.noun)} in ${subject.label}${what}; give ${subject.nameHint}.` };
  }
  for (const name of [subject.nameVariable, ...EXACT_VARIABLES]) {
    const value = match.values[name];
    if (value !== undefined && WILDCARD.test(value)) {
      return { ok: false, problem: `${arn} has a wildcard in its ${name}: give the exact ${subject.noun}.` };
    }
  }
  return { ok: true, target: { given: arn, values: match.values } };
}

/** s3://bucket → the bucket; s3://bucket/key → that object; s3://bucket/prefix/ → objects under it. */
function fromS3Uri(subject: Subject, uri: string): TargetResult {
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(uri);
  const bucket = m?.[1] ?? '';
  if (!subject.namePattern.test(bucket)) {
    return { ok: false, problem: `${uri} does not name a valid bucket; give ${subject.nameHint}.` };
  }
  const key = m?.[2] ?? '';
  const values: Record<string, string> = { BucketName: bucket };
  if (key !== '') values.ObjectName = key.endsWith('/') ? `${key}*` : key;
  return { ok: true, target: { given: uri, values } };
}

/** Turns what the requester called a resource into ARN variables of the subject's target type. */
export async function resolveTarget(catalog: IamCatalog, subject: Subject, given: string): Promise<TargetResult> {
  const text = given.trim();
  if (parseArn(text)) return fromArn(catalog, subject, text);
  if (text.startsWith('s3://') && subject.service === 's3') return fromS3Uri(subject, text);
  if (WILDCARD.test(text)) {
    return { ok: false, problem: `"${text}" has a wildcard: give the exact ${subject.noun} name.` };
  }
  if (!subject.namePattern.test(text)) {
    return { ok: false, problem: `"${text}" is not a valid ${subject.label} ${subject.noun} name; give ${subject.nameHint}.` };
  }
  return { ok: true, target: { given: text, values: { [subject.nameVariable]: transformName(subject, text) } } };
}

/** The account an ARN target is in, when its ARN says so (S3 bucket ARNs do not). */
export function targetAccountId(target: Target): string | undefined {
  const account = target.values.Account ?? target.values.AccountId;
  return account === undefined || account === '' ? undefined : account;
}
