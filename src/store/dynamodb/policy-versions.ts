import { z } from 'zod';
import { CorruptRowError, parseStored, parseValue } from '../shared/codec.js';
import { checkPolicyVersion, PolicyVersionSchema } from '../shared/policy-versions.js';
import type { PolicyKind, PolicyVersion } from '../store.js';
import type { ItemKey } from './keys.js';

/*
 * Policy versions of one kind share a partition, sorted by a zero-padded version, so "the latest two"
 * is one descending query of two items. Versions are appended contiguously (see savePolicyVersion),
 * so "N-1 exists and N does not" means N is the next version.
 */

const VERSION_DIGITS = 10;

export const policyVersionKeys = {
  partition: (kind: PolicyKind) => `POLICY#${kind}`,
  item: (kind: PolicyKind, version: number): ItemKey => ({
    PK: `POLICY#${kind}`,
    SK: `V#${String(version).padStart(VERSION_DIGITS, '0')}`,
  }),
};

export function policyVersionItem(v: PolicyVersion): Record<string, unknown> {
  const checked = checkPolicyVersion(v);
  return { ...policyVersionKeys.item(checked.kind, checked.version), kind: 'policy_version', version: checked.version, body: JSON.stringify(checked) };
}

export function readPolicyVersion(item: Record<string, unknown>, kind: PolicyKind, tableName: string): PolicyVersion {
  const envelope = parseValue(z.object({ body: z.string(), version: z.number() }), item, 'policy_versions', kind, `policy_versions item of ${kind} in DynamoDB table ${JSON.stringify(tableName)}`);
  const id = `${kind}#${envelope.version}`;
  const v = parseStored(PolicyVersionSchema, envelope.body, 'policy_versions', id);
  if (v.kind !== kind || v.version !== envelope.version) throw new CorruptRowError('policy_versions', id, `body is for ${v.kind}#${v.version}`);
  return v;
}
