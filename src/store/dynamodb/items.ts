import { z } from 'zod';
import type { AccessRequest, AuditEvent, ChatPlatform } from '../../access/types.js';
import { canonicalTime, checkBeforeWrite, CorruptRowError, parseStored, parseValue } from '../shared/codec.js';
// The zod schemas describe the domain values, not SQLite; they live beside the SQLite adapter for now.
import { AccessRequestSchema, AuditEventSchema, ConversationSchema, MessageRefSchema } from '../sqlite/row-schemas.js';
import { ChatAddressSchema } from '../sqlite/chat-addresses.js';
import type { ChatAddress, Conversation, MessageRef } from '../store.js';
import { indexPartition, keys, type ItemKey, timeOrdered } from './keys.js';
import { TTL_ATTRIBUTE } from './table-definition.js';

/*
 * Domain values ↔ DynamoDB items. A request, an audit event and a conversation are stored whole as a
 * JSON `body`, the source of truth, as in the SQLite adapter: JSON round-trips every value exactly
 * (DynamoDB maps refuse empty keys and numbers beyond 38 digits; an audit `detail` may hold either),
 * and one schema check guards both adapters. The other attributes exist to be keyed, indexed or
 * compared in a condition.
 *
 * Everything read back is checked, because a hand edit in the console or an older Warden can leave
 * an item the types do not describe; the error names the item so someone can find and fix it.
 */

export type Item = Record<string, unknown>;

/** Logical record names, the same the SQLite adapter uses for its tables. */
type Kind = 'requests' | 'audit_events' | 'message_refs' | 'conversations' | 'chat_addresses';

function location(tableName: string, kind: Kind, id: string, key: ItemKey): string {
  const itemKey = `PK ${JSON.stringify(key.PK)}, SK ${JSON.stringify(key.SK)}`;
  return `${kind} item ${JSON.stringify(id)} (${itemKey}) in DynamoDB table ${JSON.stringify(tableName)}`;
}

/** The id a key was built from, so an item whose attributes are missing can still be named. */
function idFromKey(item: Item, prefix: string): { id: string; key: ItemKey } {
  const PK = typeof item.PK === 'string' ? item.PK : '(no PK)';
  const SK = typeof item.SK === 'string' ? item.SK : '(no SK)';
  return { id: PK.startsWith(prefix) ? PK.slice(prefix.length) : PK, key: { PK, SK } };
}

const BodyItemSchema = z.object({ body: z.string() });

// ---- requests ---------------------------------------------------------------------------------------

/** The request item, and which approvers' index items exist while it is pending. */
export function requestItem(request: AccessRequest): Item {
  checkBeforeWrite(AccessRequestSchema, request, `request ${request.id}`);
  const createdAt = canonicalTime(request.createdAt, `Request ${request.id} createdAt`);
  const expiresAt = request.grant ? canonicalTime(request.grant.expiresAt, `Request ${request.id} grant.expiresAt`) : undefined;
  const active = request.state === 'active' && expiresAt !== undefined;
  return {
    ...keys.request(request.id),
    kind: 'request',
    id: request.id,
    state: request.state,
    version: request.version,
    requesterId: request.requesterId,
    createdAt,
    expiresAt,
    pendingApprovers: pendingApprovers(request),
    body: JSON.stringify(request),
    GSI1PK: indexPartition.requester(request.requesterId),
    GSI1SK: timeOrdered(createdAt, request.id),
    GSI2PK: indexPartition.state(request.state),
    GSI2SK: timeOrdered(createdAt, request.id),
    // Sparse: absent attributes keep the item out of the expiry index.
    GSI3PK: active ? indexPartition.active : undefined,
    GSI3SK: active ? timeOrdered(expiresAt, request.id) : undefined,
  };
}

/** Who may still decide: everyone named while pending, no one otherwise. Deduplicated. */
export function pendingApprovers(request: AccessRequest): string[] {
  return request.state === 'pending_approval' ? [...new Set(request.approverIds)] : [];
}

export function approverItem(request: AccessRequest, approverId: string): Item {
  return {
    ...keys.approver(request.id, approverId),
    kind: 'approver',
    requestId: request.id,
    approverId,
    GSI1PK: indexPartition.approver(approverId),
    GSI1SK: timeOrdered(canonicalTime(request.createdAt, `Request ${request.id} createdAt`), request.id),
  };
}

export function readRequest(item: Item, tableName: string): AccessRequest {
  const { id, key } = idFromKey(item, 'REQ#');
  const where = location(tableName, 'requests', id, key);
  const envelope = parseValue(BodyItemSchema.extend({ version: z.number() }), item, 'requests', id, where);
  const request = parseStored(AccessRequestSchema, envelope.body, 'requests', id, where);
  if (request.id !== id) throw new CorruptRowError('requests', id, `body has id ${JSON.stringify(request.id)}`, where);
  if (request.version !== envelope.version) {
    // The condition of every write compares the attribute, so a body that disagrees is not trusted.
    throw new CorruptRowError('requests', id, `attribute version ${envelope.version} but body version ${request.version}`, where);
  }
  return request;
}

/** What saveRequest needs to know of the stored item before it replaces it. */
export interface StoredRequestState {
  version: number;
  createdAt: string;
  pendingApprovers: string[];
}

export function readRequestState(item: Item, tableName: string): StoredRequestState {
  const { id, key } = idFromKey(item, 'REQ#');
  const schema = z.object({ version: z.number(), createdAt: z.string(), pendingApprovers: z.array(z.string()) });
  return parseValue(schema, item, 'requests', id, location(tableName, 'requests', id, key));
}

/** The request id an approver index item points at. */
export function readApproverEntry(item: Item, tableName: string): string {
  const { id, key } = idFromKey(item, 'REQ#');
  return parseValue(z.object({ requestId: z.string() }), item, 'requests', id, location(tableName, 'requests', id, key))
    .requestId;
}

// ---- audit events -----------------------------------------------------------------------------------

export function auditItem(event: AuditEvent, token: string): Item {
  checkBeforeWrite(AuditEventSchema, event, `audit event ${event.id}`);
  const order = timeOrdered(canonicalTime(event.at, `Audit event ${event.id} at`), token);
  return {
    ...keys.audit(event.id),
    kind: 'audit',
    id: event.id,
    requestId: event.requestId ?? undefined,
    writeToken: token,
    body: JSON.stringify(event),
    GSI1PK: event.requestId === null ? undefined : indexPartition.requestAudit(event.requestId),
    GSI1SK: event.requestId === null ? undefined : order,
    GSI2PK: indexPartition.allAudit,
    GSI2SK: order,
  };
}

export function readAudit(item: Item, tableName: string): AuditEvent {
  const { id, key } = idFromKey(item, 'AUDIT#');
  const where = location(tableName, 'audit_events', id, key);
  const { body } = parseValue(BodyItemSchema, item, 'audit_events', id, where);
  const event = parseStored(AuditEventSchema, body, 'audit_events', id, where);
  if (event.id !== id) throw new CorruptRowError('audit_events', id, `body has id ${JSON.stringify(event.id)}`, where);
  return event;
}

// ---- message refs -----------------------------------------------------------------------------------

const MessageItemSchema = MessageRefSchema.extend({ addedAt: z.string() });

/** A ref and the token of its first recording, which orders refs in the order they were posted. */
export function readMessageRef(item: Item, tableName: string): { ref: MessageRef; addedAt: string } {
  const { id, key } = idFromKey(item, 'REQ#');
  const where = location(tableName, 'message_refs', id, key);
  const { addedAt, ...ref } = parseValue(MessageItemSchema, item, 'message_refs', id, where);
  return { ref, addedAt };
}

// ---- conversations ----------------------------------------------------------------------------------

export function conversationItem(conversation: Conversation, ttlSeconds: number): Item {
  checkBeforeWrite(ConversationSchema, conversation, `conversation ${conversation.key}`);
  const updatedAt = canonicalTime(conversation.updatedAt, `Conversation ${conversation.key} updatedAt`);
  return {
    ...keys.conversation(conversation.key),
    kind: 'conversation',
    key: conversation.key,
    updatedAt,
    body: JSON.stringify(conversation),
    // Idle threads are swept by DynamoDB, counted from the last turn.
    [TTL_ATTRIBUTE]: epochSeconds(updatedAt) + ttlSeconds,
  };
}

export function readConversation(item: Item, tableName: string): Conversation {
  const { id, key } = idFromKey(item, 'CONV#');
  const where = location(tableName, 'conversations', id, key);
  const { body } = parseValue(BodyItemSchema, item, 'conversations', id, where);
  const conversation = parseStored(ConversationSchema, body, 'conversations', id, where);
  if (conversation.key !== id) {
    throw new CorruptRowError('conversations', id, `body has key ${JSON.stringify(conversation.key)}`, where);
  }
  return conversation;
}

// ---- chat addresses ---------------------------------------------------------------------------------

export function chatAddressItem(address: ChatAddress): Item {
  const checked = checkBeforeWrite(ChatAddressSchema, address, `chat address ${address.platform}/${address.key}`);
  return {
    ...keys.chatAddress(checked.platform, checked.key),
    kind: 'chat_address',
    updatedAt: canonicalTime(checked.updatedAt, `Chat address ${checked.key} updatedAt`),
    body: JSON.stringify(checked),
  };
}

export function readChatAddress(item: Item, platform: ChatPlatform, key: string, tableName: string): ChatAddress {
  const id = `${platform}/${key}`;
  const where = location(tableName, 'chat_addresses', id, keys.chatAddress(platform, key));
  const { body } = parseValue(BodyItemSchema, item, 'chat_addresses', id, where);
  const address = parseStored(ChatAddressSchema, body, 'chat_addresses', id, where);
  if (address.platform !== platform || address.key !== key) {
    throw new CorruptRowError('chat_addresses', id, `body is for ${address.platform}/${address.key}`, where);
  }
  return address;
}

/** DynamoDB TTL wants whole epoch seconds; rounding up never deletes an item early. */
export function epochSeconds(canonical: string): number {
  return Math.ceil(Date.parse(canonical) / 1000);
}
