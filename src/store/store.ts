import type { AccessRequest, AuditEvent, ChatPlatform } from '../access/types.js';

/** A posted copy of a card, so every copy can be updated in place later. */
export interface MessageRef {
  platform: ChatPlatform;
  channel: string;
  ts: string;
  /** What the message shows, so the right card is re-rendered on update. */
  purpose: 'approval' | 'draft';
}

export interface ConversationTurn {
  role: 'user' | 'bot';
  text: string;
  at: string;
}

export interface Conversation {
  key: string;
  userId: string;
  turns: ConversationTurn[];
  /** The drafting request this thread produced, if any. */
  requestId: string | null;
  updatedAt: string;
}

/**
 * How a chat platform reaches a person or a conversation later, without them writing first: Teams
 * proactive messages and card updates need the conversation reference (service URL, conversation,
 * bot) that came with an earlier activity. The core never reads `reference`; each adapter owns its
 * keys (e.g. `user:<aad object id>`, `conversation:<id>`) and the reference's shape.
 */
export interface ChatAddress {
  platform: ChatPlatform;
  key: string;
  reference: Record<string, unknown>;
  updatedAt: string;
}

export interface Page<T> {
  items: T[];
  cursor: string | null;
}

/** The policy files an admin can replace from chat. */
export const POLICY_KINDS = ['guardrails', 'access-rules'] as const;
export type PolicyKind = (typeof POLICY_KINDS)[number];

/**
 * One admin-applied version of a policy file. The text is stored as written (not the parsed value)
 * so `/warden … set` can prefill it and every replica validates it with its own code.
 */
export interface PolicyVersion {
  kind: PolicyKind;
  /** 1, 2, 3… per kind; the file Warden started with is "version 0" and is never stored. */
  version: number;
  text: string;
  savedBy: string;
  savedAt: string;
  /** Set when this version restores an earlier one (a rollback). */
  restores?: number;
}

/** Where applied policy versions live, so every replica reads the same one. */
export interface PolicyVersionStore {
  /**
   * Stores `v` only if it is the next version of its kind (version = latest + 1, or 1 when none):
   * false when another admin saved first, so two concurrent edits cannot both win.
   */
  savePolicyVersion(v: PolicyVersion): Promise<boolean>;
  getLatestPolicyVersion(kind: PolicyKind): Promise<PolicyVersion | undefined>;
  /** The version just before the latest one, if any. */
  getPreviousPolicyVersion(kind: PolicyKind): Promise<PolicyVersion | undefined>;
}

/**
 * Persistence port. Every request write is a compare-and-set on `version` and appends its audit
 * event atomically with it, so two writers racing on one request produce exactly one outcome.
 */
export interface Store extends PolicyVersionStore {
  /** Inserts a new request (version 1) with its audit event. Throws if the id exists. */
  createRequest(request: AccessRequest, event: AuditEvent): Promise<void>;
  getRequest(id: string): Promise<AccessRequest | undefined>;
  /**
   * Writes `next` (whose version must be expectedVersion + 1) only if the stored version is still
   * `expectedVersion`; appends `event` in the same transaction. Returns false when another writer won.
   */
  saveRequest(next: AccessRequest, expectedVersion: number, event: AuditEvent): Promise<boolean>;
  /** Newest first. */
  listRequestsByRequester(requesterId: string, opts?: { limit?: number; cursor?: string | null }): Promise<Page<AccessRequest>>;
  listPendingForApprover(approverId: string): Promise<AccessRequest[]>;
  /** Active grants whose expiry is at or before `at`, oldest expiry first. */
  listActiveExpiringBefore(at: string): Promise<AccessRequest[]>;
  /** Requests in any of these states, oldest first (used to reconcile after a restart). */
  listRequestsInStates(states: readonly string[]): Promise<AccessRequest[]>;

  appendAudit(event: AuditEvent): Promise<void>;
  /** Oldest first. */
  listAudit(filter?: { requestId?: string; limit?: number }): Promise<AuditEvent[]>;

  addMessageRef(requestId: string, ref: MessageRef): Promise<void>;
  listMessageRefs(requestId: string): Promise<MessageRef[]>;

  getConversation(key: string): Promise<Conversation | undefined>;
  saveConversation(conversation: Conversation): Promise<void>;

  /** Inserts or replaces the address stored under (platform, key). */
  saveChatAddress(address: ChatAddress): Promise<void>;
  getChatAddress(platform: ChatPlatform, key: string): Promise<ChatAddress | undefined>;

  /** Records a delivery id; false when it was already seen (a retried Slack delivery). */
  claimDelivery(key: string, at: string, ttlSeconds: number): Promise<boolean>;

  /** Takes or renews a named lease until `until`; false when another owner holds it. */
  acquireLease(name: string, owner: string, now: string, until: string): Promise<boolean>;

  close(): Promise<void>;
}
