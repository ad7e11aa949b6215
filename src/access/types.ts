/**
 * Domain types of an access request. Platform-free and storage-free: adapters map to and from these.
 */

export const ACCESS_LEVELS = ['List', 'Read', 'Write', 'Tagging', 'Permissions management'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

export const REQUEST_STATES = [
  'drafting',
  'pending_approval',
  'approved',
  'granting',
  'active',
  'revoked',
  'denied',
  'cancelled',
  'expired',
  'failed',
] as const;
export type RequestState = (typeof REQUEST_STATES)[number];

/** One Allow statement of the drafted policy: actions that share one set of resources. */
export interface DraftStatement {
  actions: string[];
  resources: string[];
}

/** The least-privilege proposal a drafter produces. Untrusted until the policy checks pass. */
export interface PermissionDraft {
  accountId: string;
  accountName: string;
  /** The highest access level the requester asked for; the checks hold every action to it. */
  accessLevel: AccessLevel;
  statements: DraftStatement[];
  durationMinutes: number;
  justification: string;
  /** True when no intent matched and the draft fell back to every action of an access level. */
  broad: boolean;
  /** Short explanations of how the draft was made, shown to requester and approver. */
  notes: string[];
  /**
   * The same access asked for in more accounts, each with its own resources (ARNs carry the account).
   * At submit each becomes its own request in one batch; absent on single-account drafts.
   */
  alsoIn?: AccountStatements[];
}

/** One more account of a multi-account draft, with the statements drafted for it. */
export interface AccountStatements {
  accountId: string;
  accountName: string;
  statements: DraftStatement[];
}

export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];

/** What raised the risk, as data an audit query or a dashboard can count, not only a sentence. */
export const RISK_CODES = [
  'permissions-management',
  'permissions-management-in-prod',
  'write',
  'write-in-prod',
  'tagging',
  'production-account',
  'broad-draft',
  'wildcard-resource',
  'long-duration',
  'scp-denied',
  'scp-denied-write',
] as const;
export type RiskCode = (typeof RISK_CODES)[number];

export interface RiskFactor {
  code: RiskCode;
  /** The level this factor alone raises the request to. */
  level: RiskLevel;
  reason: string;
}

export interface RiskAssessment {
  level: RiskLevel;
  /** The factors' reasons, in order, as cards show them. */
  reasons: string[];
  /** Absent on requests stored before risk factors existed. */
  factors?: RiskFactor[];
}

export interface Approval {
  userId: string;
  at: string;
}

export interface Decision {
  userId: string;
  at: string;
  reason: string;
}

/** Where the request was made, so replies go back to the same thread. */
export const CHAT_PLATFORMS = ['slack', 'teams'] as const;
export type ChatPlatform = (typeof CHAT_PLATFORMS)[number];

export interface Origin {
  platform: ChatPlatform;
  channel: string;
  threadTs: string;
}

/** What a granter did; enough for the same granter to undo it. */
export interface Grant {
  grantedAt: string;
  expiresAt: string;
  mode: string;
  handle: Record<string, string>;
}

/** A condition the guardrails add to every statement Warden grants (or to the statements named). */
export interface GrantCondition {
  operator: string;
  key: string;
  values: string[];
  /** Why, for the approval card. */
  reason: string;
  statements?: string[];
}

/** What the deterministic policy checks found, kept with the request for the approver and the granter. */
export interface PolicyReview {
  /** One line per simulated action/resource pair, e.g. "s3:PutObject on … — denied by SCP `…`". */
  verdicts: string[];
  /** Lint warnings and soft guardrail findings an approver should read. */
  findings: string[];
  /** Added to the granted policy; the granters apply exactly these. */
  conditions: GrantCondition[];
  /** Why SCPs were not simulated, when they were not. */
  scpNote?: string;
}

/** The SSM document every `/run` uses: one shell script on one Linux instance. */
export const RUN_DOCUMENT = 'AWS-RunShellScript';

/** What an approved `/run` executes, exactly as the requester typed it and the approvers saw it. */
export interface RunCommandSpec {
  instanceId: string;
  /** The EC2 Name tag the requester typed, when they named the instance that way. */
  instanceName?: string;
  /** Untrusted text: shown to approvers verbatim and passed to SSM as one parameter, never interpreted by Warden. */
  command: string;
  document: typeof RUN_DOCUMENT;
}

export interface AccessRequest {
  id: string;
  state: RequestState;
  /** Bumped by every write; writes compare it so concurrent writers cannot both win. */
  version: number;
  requesterId: string;
  draft: PermissionDraft;
  risk: RiskAssessment;
  /** Set at submit by the policy checks; absent on drafts and where no policy engine is configured. */
  review?: PolicyReview;
  approverIds: string[];
  quorum: number;
  approvals: Approval[];
  denial?: Decision;
  cancellation?: Decision;
  grant?: Grant;
  failure?: string;
  /** Set on a `/run` request: the one command Warden itself runs on approval (nothing is granted to the requester). */
  run?: RunCommandSpec;
  /** Requests asked for together in several accounts share this id (the first request's id). */
  batchId?: string;
  origin: Origin;
  createdAt: string;
  updatedAt: string;
}

export interface AuditEvent {
  id: string;
  at: string;
  requestId: string | null;
  actorId: string;
  type: string;
  detail: Record<string, unknown>;
}
