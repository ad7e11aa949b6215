import { z } from 'zod';
import { POLICY_KINDS, type PolicyVersion } from '../store.js';
import { canonicalTime, checkBeforeWrite } from './codec.js';

/** Stored policy versions are read back through this schema, in both adapters. */
export const PolicyVersionSchema = z.object({
  kind: z.enum(POLICY_KINDS),
  version: z.number().int().min(1),
  text: z.string(),
  savedBy: z.string().min(1),
  savedAt: z.string(),
  restores: z.number().int().min(0).optional(),
});

/** Checks a version before any write, the same way in both adapters. */
export function checkPolicyVersion(v: PolicyVersion): PolicyVersion {
  const checked = checkBeforeWrite(PolicyVersionSchema, v, `policy version ${v.kind}#${v.version}`);
  return { ...checked, savedAt: canonicalTime(checked.savedAt, `Policy version ${v.kind}#${v.version} savedAt`) };
}
