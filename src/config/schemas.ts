import { z } from 'zod';
import { ACCESS_LEVELS, RISK_LEVELS } from '../access/types.js';

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits, e.g. "111122223333"');
const slug = z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'use lower-case letters, digits, ".", "_" or "-"');

export const AccountSchema = z.object({
  id: accountId,
  name: slug,
  environment: z.enum(['prod', 'staging', 'dev', 'sandbox']).default('dev'),
  /** Default region for ARNs of regional resources in this account. */
  region: z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region like "eu-west-1"').default('us-east-1'),
  /**
   * How access to this account is granted: a per-request IAM role (absent: the default), or an IAM Identity
   * Center account assignment, of a per-request permission set with the drafted policy, or of an
   * existing permission set named here (its ARN, or its name in the instance).
   */
  grant: z
    .discriminatedUnion(
      'via',
      [
        z.strictObject({ via: z.literal('iam') }),
        z.strictObject({
          via: z.literal('identity-center'),
          permissionSet: z
            .string()
            .regex(
              /^(arn:aws[a-z-]*:sso:::permissionSet\/(sso)?ins-[a-zA-Z0-9-.]{16}\/ps-[a-zA-Z0-9-./]{16}|[\w+=,.@-]{1,32})$/,
              'an existing permission set: its ARN ("arn:aws:sso:::permissionSet/ssoins-…/ps-…") or its name (at most 32 of letters, digits and +=,.@_-)',
            )
            .optional(),
        }),
      ],
      { error: 'grant.via is "iam" (a per-request IAM role, the default) or "identity-center" (an IAM Identity Center account assignment)' },
    )
    // Optional rather than defaulted, so accounts written in code (tests, tools) need not spell it out.
    .optional(),
});

export const UserSchema = z.object({
  id: slug,
  name: z.string().min(1),
  email: z.string().email().optional(),
  /** Slack member id (U… or W…). A chat user is matched by this id only, never by e-mail. */
  slackId: z.string().regex(/^[UW][A-Z0-9]{2,}$/, 'a Slack member id like "U024BE7LH"').optional(),
  /**
   * Microsoft Entra ID (Azure AD) object id, for Teams. A Teams user is matched by this id only, never
   * by e-mail or name; a user with both ids is the same person on Slack and Teams.
   */
  aadObjectId: z
    .string()
    .regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'an Entra ID object id like "6b3f2a1c-0d4e-4f5a-9b8c-7d6e5f4a3b2c"')
    // Teams sends object ids in lower case; comparing in one case keeps a pasted upper-case id working.
    .transform((id) => id.toLowerCase())
    .optional(),
  /**
   * IAM Identity Center user id (from Identity Center → Users → the user → User ID). Overrides the
   * match by the chat platform's verified e-mail for accounts granted through Identity Center.
   */
  identityCenterUserId: z
    .string()
    .regex(/^([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/, 'an IAM Identity Center user id like "906722a5f6-1b2c3d4e-…" or "1b2c3d4e-5f6a-7b8c-9d0e-1f2a3b4c5d6e"')
    .optional(),
  /** The IAM principal that will be trusted to use granted access. */
  awsPrincipal: z.string().regex(/^arn:aws[a-z-]*:(iam|sts)::\d{12}:.+$/, 'an IAM user or role ARN'),
});

export const GroupSchema = z.object({
  id: slug,
  members: z.array(slug).min(1),
});

export const OrgSchema = z.object({
  accounts: z.array(AccountSchema).min(1),
  users: z.array(UserSchema).min(1),
  groups: z.array(GroupSchema).default([]),
});

/** A set of people named by user ids and/or group ids. */
const PeopleSchema = z.object({
  users: z.array(slug).default([]),
  groups: z.array(slug).default([]),
});

/** The environments an account can be in (AccountSchema's `environment`). */
export const ENVIRONMENTS = ['prod', 'staging', 'dev', 'sandbox'] as const satisfies readonly z.infer<typeof AccountSchema>['environment'][];

export const RuleSchema = z.object({
  name: z.string().min(1),
  /** Account names or ids, or "*" for every account. */
  accounts: z.array(z.string().min(1)).min(1),
  /** Only accounts of these environments (from the org file); absent: any environment. */
  environments: z
    .array(z.enum(ENVIRONMENTS, { error: `an environment: ${ENVIRONMENTS.join(' | ')} (as in the org file's accounts)` }))
    .min(1, 'list at least one environment, or leave the field out for every environment')
    .optional(),
  /** Only requests whose access level is one of these; absent: any level. */
  accessLevels: z
    .array(z.enum(ACCESS_LEVELS, { error: `an IAM access level: ${ACCESS_LEVELS.map((l) => `"${l}"`).join(', ')} (spelled as AWS does)` }))
    .min(1, 'list at least one access level, or leave the field out for every level')
    .optional(),
  /** The highest risk level (computed by Warden's checks) this rule covers; absent: any risk. */
  maxRisk: z.enum(RISK_LEVELS, { error: `a risk level: ${RISK_LEVELS.join(' | ')}; the rule covers requests up to and including it` }).optional(),
  /**
   * Approve without a human when every check passes. Warden still refuses it for high or critical
   * risk and soft-guardrail cases; checkAccessRules refuses a rule that could cover risky levels.
   */
  autoApprove: z.boolean().optional(),
  requesters: PeopleSchema.default({ users: [], groups: [] }),
  approvers: PeopleSchema,
  quorum: z.number().int().min(1).max(5).default(1),
  maxDurationMinutes: z.number().int().min(5).max(7 * 24 * 60).optional(),
  /**
   * Where approval cards go: a DM to each approver, or the approvers' channel: a Slack channel
   * (`channel`), a Teams channel (`teamsChannel`: its name or conversation id), or both, one card
   * on each (at least one is required; see checkAccessRules).
   */
  notify: z
    .discriminatedUnion('mode', [
      z.object({ mode: z.literal('dm') }),
      z.object({ mode: z.literal('channel'), channel: z.string().min(1).optional(), teamsChannel: z.string().min(1).optional() }),
    ])
    .default({ mode: 'dm' }),
});

export const AccessRulesSchema = z.object({
  defaults: z
    .object({
      defaultDurationMinutes: z.number().int().min(5).default(60),
      maxDurationMinutes: z.number().int().min(5).max(7 * 24 * 60).default(8 * 60),
      /** A pending request nobody decided on expires after this long. */
      pendingTtlMinutes: z.number().int().min(5).default(24 * 60),
    })
    .default({ defaultDurationMinutes: 60, maxDurationMinutes: 480, pendingTtlMinutes: 1440 }),
  rules: z.array(RuleSchema).min(1),
  /** Who may change guardrails and access rules from chat (`/warden … set`, `rollback`). Nobody by default. */
  admins: PeopleSchema.default({ users: [], groups: [] }),
});

export type Account = z.infer<typeof AccountSchema>;
export type User = z.infer<typeof UserSchema>;
export type Group = z.infer<typeof GroupSchema>;
export type Org = z.infer<typeof OrgSchema>;
export type AccessRule = z.infer<typeof RuleSchema>;
export type AccessRules = z.infer<typeof AccessRulesSchema>;
