/**
 * The guardrails file (examples/guardrails.yaml): the organization's hard limits on what chat can
 * grant, the softer rules that ask for more scrutiny, and the conditions added to every grant.
 * Admins own it; the AI and the requester never change it.
 */
import { z } from 'zod';
import { ACCESS_LEVELS } from '../../access/types.js';

const ENVIRONMENTS = ['prod', 'staging', 'dev', 'sandbox'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

const minutes = z.number().int().min(5).max(7 * 24 * 60);
const environment = z.enum(ENVIRONMENTS);
const accessLevel = z.enum(ACCESS_LEVELS);

/** "iam:*", "*:Delete*", "s3:PutBucketPolicy": IAM wildcards over "service:Action", case-insensitive. */
const actionPattern = z
  .string()
  .regex(/^(\*|[a-z0-9*?-]+:[A-Za-z0-9*?]+)$/, 'an action or pattern like "iam:*", "s3:PutBucketPolicy" or "*:Delete*"');

/**
 * An object with one optional duration per key, rather than a record: the config loader then
 * answers a typo ("Writ") with "did you mean "Write"?" and the allowed names.
 */
function perKey<const K extends string>(keys: readonly K[]) {
  const shape = Object.fromEntries(keys.map((k) => [k, minutes.optional()])) as Record<K, z.ZodOptional<typeof minutes>>;
  return z.object(shape);
}

const region = z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region like "eu-west-1"');

/** What a person reads when a rule stops them: the rule, and what to do instead. */
const explained = {
  reason: z.string().min(1),
  wayOut: z.string().min(1),
};

const DeniedActionsRule = z.object({
  actions: z.array(actionPattern).min(1),
  ...explained,
});

const ResourceRule = z.object({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a short name like "audit-logs"'),
  /** Actions the rule is about; default every action. */
  actions: z.array(actionPattern).min(1).default(['*']),
  /** ARN patterns (IAM wildcards) the rule protects. */
  resources: z.array(z.string().min(1)).min(1),
  /** refuse: never through chat; second-approver: allowed with two approvals. */
  effect: z.enum(['refuse', 'second-approver']).default('refuse'),
  ...explained,
});

export const GuardrailsSchema = z.object({
  /** Never granted through chat, whatever anyone approves. */
  deniedActions: z.array(DeniedActionsRule).default([]),
  /** Account names or ids from the org file, or "*". */
  allowedAccounts: z.array(z.string().min(1)).min(1).default(['*']),
  /** Regions resources may be in; leave out for any region. */
  allowedRegions: z.array(region).min(1).optional(),
  durations: z
    .object({
      /** Longer than this asks for a stronger justification. */
      defaultMinutes: minutes.default(60),
      /** Never longer than this. */
      maxMinutes: minutes.default(8 * 60),
      /** Lower ceilings per access level of the request… */
      byAccessLevel: perKey(ACCESS_LEVELS).default({}),
      /** …and per environment of the account; the lowest that applies wins. */
      byEnvironment: perKey(ENVIRONMENTS).default({}),
    })
    .default({ defaultMinutes: 60, maxMinutes: 480, byAccessLevel: {}, byEnvironment: {} }),
  actions: z
    .object({
      /** Wildcard actions ("s3:Get*"): refuse, or allow with a second approver. */
      wildcards: z.enum(['refuse', 'second-approver']).default('refuse'),
    })
    .default({ wildcards: 'refuse' }),
  resources: z
    .object({
      /** Resource "*" for an action that can name resources: refuse, or allow with a second approver. */
      wildcard: z.enum(['refuse', 'second-approver']).default('refuse'),
      rules: z.array(ResourceRule).default([]),
    })
    .default({ wildcard: 'refuse', rules: [] }),
  /** Conditions Warden adds to every statement it grants. */
  requiredConditions: z
    .object({
      /** Always on: access stops at expiry even if revocation fails. Listed so nobody wonders. */
      expiry: z.literal(true, { error: 'the expiry condition cannot be turned off' }).default(true),
      /** Limit regional actions to allowedRegions through aws:RequestedRegion. */
      regionRestriction: z.boolean().default(false),
      /** Environments where the grant works only with MFA (aws:MultiFactorAuthPresent). */
      mfa: z.array(environment).default([]),
      /** Environments where the grant works only from these VPCs (aws:SourceVpc). */
      sourceVpc: z
        .object({
          environments: z.array(environment).min(1),
          vpcs: z.array(z.string().regex(/^vpc-[0-9a-f]{8,17}$/, 'a VPC id like "vpc-0a1b2c3d"')).min(1),
        })
        .optional(),
    })
    .default({ expiry: true, regionRestriction: false, mfa: [] }),
  /** What needs two approvals, whatever the access rule's quorum. */
  secondApprover: z
    .object({
      actions: z.array(actionPattern).default([]),
      accessLevels: z.array(accessLevel).default([]),
      /** Environments where anything above Read needs two approvals. */
      writesIn: z.array(environment).default([]),
    })
    .default({ actions: [], accessLevels: [], writesIn: [] }),
  justification: z
    .object({
      /** Shorter than this asks for a stronger justification. */
      minLength: z.number().int().min(0).max(500).default(10),
    })
    .default({ minLength: 10 }),
});

export type Guardrails = z.infer<typeof GuardrailsSchema>;
export type DeniedActionsRule = z.infer<typeof DeniedActionsRule>;
export type ResourceRule = z.infer<typeof ResourceRule>;

/** Guardrails with nothing configured: only the built-in expiry and duration limits apply. */
export function defaultGuardrails(): Guardrails {
  return GuardrailsSchema.parse({});
}
