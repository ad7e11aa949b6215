import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type QueryCommandInput,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { AccessRequest, AuditEvent, ChatPlatform } from '../../access/types.js';
import { addSeconds, canonicalTime, checkBeforeWrite, decodeCursor, encodeCursor } from '../shared/codec.js';
import {
  checkLimit,
  checkNewRequest,
  checkNextVersion,
  checkTtlSeconds,
  DEFAULT_PAGE_SIZE,
  MAX_PAGE_SIZE,
} from '../shared/preconditions.js';
import { MessageRefSchema } from '../sqlite/row-schemas.js';
import type { ChatAddress, Conversation, MessageRef, Page, PolicyKind, PolicyVersion, Store } from '../store.js';
import { policyVersionItem, policyVersionKeys, readPolicyVersion } from './policy-versions.js';
import { cancellationCodes, DynamoStoreError, failedItemString, isConditionFailure } from './errors.js';
import {
  approverItem,
  auditItem,
  chatAddressItem,
  conversationItem,
  epochSeconds,
  pendingApprovers,
  readApproverEntry,
  readAudit,
  readChatAddress,
  readConversation,
  readMessageRef,
  readRequest,
  readRequestState,
  requestItem,
  type Item,
} from './items.js';
import { afterTime, indexPartition, keys, timeOrdered, writeToken } from './keys.js';
import { backoffMs, batchGet, queryAll, queryUpTo, sleep } from './reads.js';
import { ensureTable, TableShapeError } from './table-admin.js';
import { INDEX, TTL_ATTRIBUTE } from './table-definition.js';

export interface DynamoStoreOptions {
  tableName: string;
  /**
   * A client to use as it is configured; the store leaves it open on close(). Without one the store
   * makes its own from `region` and `endpoint`, and the SDK's default chains fill in the rest.
   */
  client?: DynamoDBClient;
  /** Unset: the SDK's own resolution (AWS_REGION, the shared config file). */
  region?: string;
  /**
   * Unset: the SDK's own resolution, which honours AWS_ENDPOINT_URL_DYNAMODB and AWS_ENDPOINT_URL, so
   * DynamoDB Local needs only an environment variable. Set it only to override those.
   */
  endpoint?: string;
  /** How long an idle conversation is kept before DynamoDB's TTL sweeps it. Default 30 days. */
  conversationTtlSeconds?: number;
}

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit of items per TransactWriteItems call. */
const MAX_TRANSACTION_ITEMS = 100;
/** Attempts of one transaction when DynamoDB cancels it for a conflict with another one in flight. */
const MAX_CONFLICT_ATTEMPTS = 8;
const DEFAULT_CONVERSATION_TTL_SECONDS = 30 * 24 * 3600;

/** An attempt lost to a concurrent transaction on the same item; the write did not happen, so retry. */
class TransactionConflict extends Error {}

/**
 * The Store port over one DynamoDB table (layout in keys.ts and docs/dynamodb.md).
 *
 * Request writes are TransactWriteItems: the request put conditioned on its stored version, its audit
 * event put conditioned on the event id being new, and the approver index entries, all or nothing.
 * Each transaction carries a ClientRequestToken, so the SDK's own retry of a write whose response
 * was lost is recognised by DynamoDB instead of failing its own condition.
 *
 * Consistency: getRequest and the version check behind saveRequest read strongly; list queries go
 * through global secondary indexes, which DynamoDB updates asynchronously (usually within a second),
 * so a list may briefly miss the latest write. Workflows act on a request only after getRequest and
 * a compare-and-set, so a stale list entry costs at most a no-op.
 */
export class DynamoStore implements Store {
  private readonly doc: DynamoDBDocumentClient;
  private readonly conversationTtlSeconds: number;

  private constructor(
    private readonly client: DynamoDBClient,
    private readonly ownsClient: boolean,
    readonly tableName: string,
    conversationTtlSeconds: number,
  ) {
    // removeUndefinedValues: optional attributes (the sparse index keys) are written as undefined to
    // mean "absent". Numbers stay JS numbers: only versions and TTLs are numbers, all well in range.
    this.doc = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
    this.conversationTtlSeconds = conversationTtlSeconds;
  }

  static create(options: DynamoStoreOptions): DynamoStore {
    const ttl = options.conversationTtlSeconds ?? DEFAULT_CONVERSATION_TTL_SECONDS;
    checkTtlSeconds(ttl);
    if (options.client) {
      // Silently ignoring them would point the store somewhere the caller did not ask for.
      if (options.region || options.endpoint) {
        throw new TypeError('DynamoStore.create: pass either a client or region/endpoint, not both.');
      }
      return new DynamoStore(options.client, false, options.tableName, ttl);
    }
    const client = new DynamoDBClient({
      ...(options.region ? { region: options.region } : {}),
      ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    });
    return new DynamoStore(client, true, options.tableName, ttl);
  }

  /** Creates the table if missing (local and dev use; see table-admin.ts). */
  async ensureTable(): Promise<void> {
    try {
      await ensureTable(this.client, this.tableName);
    } catch (error) {
      // The shape check's message already says what is wrong and what to do.
      if (error instanceof TableShapeError) throw error;
      throw new DynamoStoreError('ensuring the table exists', this.tableName, error);
    }
  }

  // ---- requests -------------------------------------------------------------------------------------

  async createRequest(request: AccessRequest, event: AuditEvent): Promise<void> {
    checkNewRequest(request, event);
    const item = requestItem(request);
    const audit = auditItem(event, writeToken());
    const approvers = pendingApprovers(request);
    this.checkTransactionSize(request.id, 2 + approvers.length);
    const ops: TransactItem[] = [
      { Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } },
      { Put: { TableName: this.tableName, Item: audit, ConditionExpression: 'attribute_not_exists(PK)' } },
      ...approvers.map((id): TransactItem => ({ Put: { TableName: this.tableName, Item: approverItem(request, id) } })),
    ];
    await this.retryConflicts(`creating request ${request.id}`, async () => {
      const codes = await this.transact(`creating request ${request.id}`, ops);
      if (!codes) return;
      if (codes[0] === 'ConditionalCheckFailed') {
        throw new Error(`Request ${request.id} already exists; a new request needs a new id.`);
      }
      if (codes[1] === 'ConditionalCheckFailed') throw duplicateEvent(event.id);
      throw this.unexpected(`creating request ${request.id}`, codes);
    });
  }

  async getRequest(id: string): Promise<AccessRequest | undefined> {
    const { Item: item } = await this.run(`reading request ${id}`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.request(id), ConsistentRead: true })),
    );
    return item ? readRequest(item, this.tableName) : undefined;
  }

  /** Also false when no request has this id: for a compare-and-set that is the same "not written". */
  async saveRequest(next: AccessRequest, expectedVersion: number, event: AuditEvent): Promise<boolean> {
    checkNextVersion(next, expectedVersion, event);
    const item = requestItem(next);
    const audit = auditItem(event, writeToken());
    const doing = `saving request ${next.id} version ${next.version}`;
    return this.retryConflicts(doing, async () => {
      // Read first: a stale caller is answered without paying for a transaction, and the stored item
      // says which approver entries exist. The transaction's condition on `version` makes this read
      // safe: if anything changed since, the write is refused.
      const { Item: stored } = await this.run(doing, () =>
        this.doc.send(
          new GetCommand({
            TableName: this.tableName,
            Key: keys.request(next.id),
            ConsistentRead: true,
            ProjectionExpression: 'PK, SK, #version, createdAt, pendingApprovers',
            ExpressionAttributeNames: { '#version': 'version' },
          }),
        ),
      );
      if (!stored) return false;
      const current = readRequestState(stored, this.tableName);
      if (current.version !== expectedVersion) return false;

      const ops: TransactItem[] = [
        {
          Put: {
            TableName: this.tableName,
            Item: item,
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          },
        },
        { Put: { TableName: this.tableName, Item: audit, ConditionExpression: 'attribute_not_exists(PK)' } },
        ...this.approverChanges(next, current.pendingApprovers, current.createdAt !== item.createdAt),
      ];
      this.checkTransactionSize(next.id, ops.length);
      const codes = await this.transact(doing, ops);
      if (!codes) return true;
      if (codes[0] === 'ConditionalCheckFailed') return false;
      if (codes[1] === 'ConditionalCheckFailed') throw duplicateEvent(event.id);
      throw this.unexpected(doing, codes);
    });
  }

  /**
   * Keeps the approver entries equal to "who may decide, while pending". Only the difference is
   * written, unless the creation time (their sort key) moved, which rewrites them all.
   */
  private approverChanges(next: AccessRequest, stored: readonly string[], resort: boolean): TransactItem[] {
    const wanted = pendingApprovers(next);
    const removed = stored.filter((id) => !wanted.includes(id));
    const added = resort ? wanted : wanted.filter((id) => !stored.includes(id));
    return [
      ...removed.map((id): TransactItem => ({ Delete: { TableName: this.tableName, Key: keys.approver(next.id, id) } })),
      ...added.map((id): TransactItem => ({ Put: { TableName: this.tableName, Item: approverItem(next, id) } })),
    ];
  }

  async listRequestsByRequester(
    requesterId: string,
    opts: { limit?: number; cursor?: string | null } = {},
  ): Promise<Page<AccessRequest>> {
    const limit = opts.limit === undefined ? DEFAULT_PAGE_SIZE : checkLimit(opts.limit, MAX_PAGE_SIZE);
    const partition = indexPartition.requester(requesterId);
    const after = opts.cursor ? decodeCursor(opts.cursor) : undefined;
    // The cursor holds the last item's (createdAt, id), the same as SQLite's, and is turned back into
    // the index key DynamoDB resumes after: opaque to callers, and independent of DynamoDB's key shape.
    const startKey = after && {
      ...keys.request(after.id),
      [INDEX.byOwner.partition]: partition,
      [INDEX.byOwner.sort]: timeOrdered(after.createdAt, after.id),
    };
    // One extra item tells whether another page exists, so the last page says so with a null cursor.
    const items = await this.run(`listing requests of ${requesterId}`, () =>
      queryUpTo(
        this.doc,
        {
          ...this.indexQuery(INDEX.byOwner, partition),
          ScanIndexForward: false,
          ...(startKey ? { ExclusiveStartKey: startKey } : {}),
        },
        limit + 1,
      ),
    );
    const page = items.slice(0, limit).map((item) => readRequest(item, this.tableName));
    const last = page.at(-1);
    return {
      items: page,
      cursor: items.length > limit && last ? encodeCursor(canonicalTime(last.createdAt, 'createdAt'), last.id) : null,
    };
  }

  /** Oldest first. The entries come from an index; each request is re-read, so only current ones count. */
  async listPendingForApprover(approverId: string): Promise<AccessRequest[]> {
    const doing = `listing requests pending for ${approverId}`;
    const entries = await this.run(doing, () =>
      queryAll(this.doc, this.indexQuery(INDEX.byOwner, indexPartition.approver(approverId))),
    );
    const ids = entries.map((entry) => readApproverEntry(entry, this.tableName));
    const items = await this.run(doing, () => batchGet(this.doc, this.tableName, ids.map(keys.request)));
    const byId = new Map(items.map((item) => [item.PK, item]));
    return ids
      .flatMap((id) => {
        const item = byId.get(keys.request(id).PK);
        return item ? [readRequest(item, this.tableName)] : [];
      })
      .filter((request) => request.state === 'pending_approval' && request.approverIds.includes(approverId));
  }

  async listActiveExpiringBefore(at: string): Promise<AccessRequest[]> {
    const bound = afterTime(canonicalTime(at, 'at'));
    const items = await this.run(`listing grants expiring by ${at}`, () =>
      queryAll(this.doc, this.indexQuery(INDEX.byExpiry, indexPartition.active, { lessThan: bound })),
    );
    return items.map((item) => readRequest(item, this.tableName));
  }

  async listRequestsInStates(states: readonly string[]): Promise<AccessRequest[]> {
    const unique = [...new Set(states)];
    const perState = await Promise.all(
      unique.map((state) =>
        this.run(`listing ${state} requests`, () =>
          queryAll(this.doc, this.indexQuery(INDEX.byCollection, indexPartition.state(state))),
        ),
      ),
    );
    // Each state's list is in creation order already; merging them by the same sort key keeps it.
    const sortKey = (item: Item) => String(item[INDEX.byCollection.sort]);
    return perState
      .flat()
      .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0))
      .map((item) => readRequest(item, this.tableName));
  }

  // ---- audit ----------------------------------------------------------------------------------------

  async appendAudit(event: AuditEvent): Promise<void> {
    const token = writeToken();
    const written = await this.putIfAbsent(`recording audit event ${event.id}`, auditItem(event, token), token);
    if (!written) throw duplicateEvent(event.id);
  }

  /** Oldest first; with `limit`, the oldest `limit` events. */
  async listAudit(filter: { requestId?: string; limit?: number } = {}): Promise<AuditEvent[]> {
    const limit = filter.limit === undefined ? undefined : checkLimit(filter.limit, Number.MAX_SAFE_INTEGER);
    const input =
      filter.requestId === undefined
        ? this.indexQuery(INDEX.byCollection, indexPartition.allAudit)
        : this.indexQuery(INDEX.byOwner, indexPartition.requestAudit(filter.requestId));
    const items = await this.run('listing audit events', () => queryUpTo(this.doc, input, limit));
    return items.map((item) => readAudit(item, this.tableName));
  }

  // ---- message refs ---------------------------------------------------------------------------------

  /** Adding the same message (platform, channel, ts) again only updates its purpose. */
  async addMessageRef(requestId: string, ref: MessageRef): Promise<void> {
    const checked = checkBeforeWrite(MessageRefSchema, ref, `a message ref of request ${requestId}`);
    const doing = `recording a message of request ${requestId}`;
    const ops: TransactItem[] = [
      // The request must exist, as SQLite's foreign key requires; checked in the same transaction.
      {
        ConditionCheck: {
          TableName: this.tableName,
          Key: keys.request(requestId),
          ConditionExpression: 'attribute_exists(PK)',
        },
      },
      {
        Update: {
          TableName: this.tableName,
          Key: keys.message(requestId, checked),
          // addedAt is set once, so a re-added message keeps its place in the list.
          UpdateExpression:
            'SET #kind = :kind, #requestId = :requestId, #platform = :platform, #channel = :channel, #ts = :ts, ' +
            '#purpose = :purpose, #addedAt = if_not_exists(#addedAt, :addedAt)',
          ExpressionAttributeNames: Object.fromEntries(
            ['kind', 'requestId', 'platform', 'channel', 'ts', 'purpose', 'addedAt'].map((name) => [`#${name}`, name]),
          ),
          ExpressionAttributeValues: {
            ':kind': 'message',
            ':requestId': requestId,
            ':platform': checked.platform,
            ':channel': checked.channel,
            ':ts': checked.ts,
            ':purpose': checked.purpose,
            ':addedAt': writeToken(),
          },
        },
      },
    ];
    await this.retryConflicts(doing, async () => {
      const codes = await this.transact(doing, ops);
      if (!codes) return;
      if (codes[0] === 'ConditionalCheckFailed') {
        throw new Error(`Cannot record a message for request ${requestId}: no such request.`);
      }
      throw this.unexpected(doing, codes);
    });
  }

  /** In the order the messages were first recorded. */
  async listMessageRefs(requestId: string): Promise<MessageRef[]> {
    const items = await this.run(`listing messages of request ${requestId}`, () =>
      queryAll(this.doc, {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': keys.requestPartition(requestId), ':prefix': 'MSG#' },
        ConsistentRead: true,
      }),
    );
    return items
      .map((item) => readMessageRef(item, this.tableName))
      .sort((a, b) => (a.addedAt < b.addedAt ? -1 : a.addedAt > b.addedAt ? 1 : 0))
      .map((entry) => entry.ref);
  }

  // ---- conversations --------------------------------------------------------------------------------

  async getConversation(key: string): Promise<Conversation | undefined> {
    const { Item: item } = await this.run(`reading conversation ${key}`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.conversation(key), ConsistentRead: true })),
    );
    return item ? readConversation(item, this.tableName) : undefined;
  }

  async saveConversation(conversation: Conversation): Promise<void> {
    const item = conversationItem(conversation, this.conversationTtlSeconds);
    await this.run(`saving conversation ${conversation.key}`, () =>
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: item })),
    );
  }

  // ---- chat addresses -------------------------------------------------------------------------------

  /** Inserts or replaces the address stored under (platform, key). No TTL: a reference stays valid. */
  async saveChatAddress(address: ChatAddress): Promise<void> {
    const item = chatAddressItem(address);
    await this.run(`saving chat address ${address.platform}/${address.key}`, () =>
      this.doc.send(new PutCommand({ TableName: this.tableName, Item: item })),
    );
  }

  async getChatAddress(platform: ChatPlatform, key: string): Promise<ChatAddress | undefined> {
    const { Item: item } = await this.run(`reading chat address ${platform}/${key}`, () =>
      this.doc.send(new GetCommand({ TableName: this.tableName, Key: keys.chatAddress(platform, key), ConsistentRead: true })),
    );
    return item ? readChatAddress(item, platform, key, this.tableName) : undefined;
  }

  // ---- policy versions -----------------------------------------------------------------------------

  /**
   * One transaction: version N is put only if it does not exist and N-1 does (for N > 1). Versions
   * are contiguous, so that is "N is the next version"; a concurrent admin's save makes it refuse.
   */
  async savePolicyVersion(v: PolicyVersion): Promise<boolean> {
    const item = policyVersionItem(v);
    const doing = `saving ${v.kind} version ${v.version}`;
    const ops: TransactItem[] = [{ Put: { TableName: this.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } }];
    if (v.version > 1) {
      ops.push({ ConditionCheck: { TableName: this.tableName, Key: policyVersionKeys.item(v.kind, v.version - 1), ConditionExpression: 'attribute_exists(PK)' } });
    }
    return this.retryConflicts(doing, async () => (await this.transact(doing, ops)) === undefined);
  }

  async getLatestPolicyVersion(kind: PolicyKind): Promise<PolicyVersion | undefined> {
    return (await this.newestPolicyVersions(kind))[0];
  }

  async getPreviousPolicyVersion(kind: PolicyKind): Promise<PolicyVersion | undefined> {
    return (await this.newestPolicyVersions(kind))[1];
  }

  private async newestPolicyVersions(kind: PolicyKind): Promise<PolicyVersion[]> {
    const items = await this.run(`reading ${kind} versions`, () =>
      queryUpTo(
        this.doc,
        {
          TableName: this.tableName,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': policyVersionKeys.partition(kind) },
          ScanIndexForward: false,
          ConsistentRead: true,
        },
        2,
      ),
    );
    return items.map((item) => readPolicyVersion(item, kind, this.tableName));
  }

  // ---- deliveries and leases ------------------------------------------------------------------------

  /**
   * A conditional put: the claim succeeds when no claim exists or the stored one has expired. Expiry
   * is compared on the ISO time in the item, not left to the TTL sweeper, which may run days late.
   */
  async claimDelivery(key: string, at: string, ttlSeconds: number): Promise<boolean> {
    checkTtlSeconds(ttlSeconds);
    const now = canonicalTime(at, 'at');
    const expiresAt = addSeconds(now, ttlSeconds);
    const token = writeToken();
    const item = {
      ...keys.delivery(key),
      kind: 'delivery',
      key,
      expiresAt,
      [TTL_ATTRIBUTE]: epochSeconds(expiresAt),
      writeToken: token,
    };
    return this.putIfAbsent(`claiming delivery ${key}`, item, token, { expiredBefore: now });
  }

  /**
   * Takes a free or lapsed lease, or renews our own. Naturally idempotent, so a retried call needs no
   * token: a repeat by the same owner passes the `owner = :owner` branch.
   */
  async acquireLease(name: string, owner: string, now: string, until: string): Promise<boolean> {
    const from = canonicalTime(now, 'now');
    const to = canonicalTime(until, 'until');
    if (to <= from) throw new RangeError(`Lease ${name}: until (${until}) must be after now (${now}).`);
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keys.lease(name), kind: 'lease', name, owner, until: to, [TTL_ATTRIBUTE]: epochSeconds(to) },
          ConditionExpression: 'attribute_not_exists(PK) OR #owner = :owner OR #until <= :now',
          ExpressionAttributeNames: { '#owner': 'owner', '#until': 'until' },
          ExpressionAttributeValues: { ':owner': owner, ':now': from },
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return false;
      throw new DynamoStoreError(`acquiring lease ${name} for ${owner}`, this.tableName, error);
    }
  }

  async close(): Promise<void> {
    // A client passed in belongs to the caller, who may share it.
    if (this.ownsClient) this.client.destroy();
  }

  // ---- helpers --------------------------------------------------------------------------------------

  /**
   * Puts `item` unless one with its key exists (or, with `expiredBefore`, exists and has not expired).
   * False when refused, except when the refusing item carries our own token: that is this very write,
   * applied by an SDK retry whose first response was lost.
   */
  private async putIfAbsent(doing: string, item: Item, token: string, opts: { expiredBefore?: string } = {}): Promise<boolean> {
    const expiry = opts.expiredBefore
      ? {
          ConditionExpression: 'attribute_not_exists(PK) OR #expiresAt <= :now',
          ExpressionAttributeNames: { '#expiresAt': 'expiresAt' },
          ExpressionAttributeValues: { ':now': opts.expiredBefore },
        }
      : { ConditionExpression: 'attribute_not_exists(PK)' };
    try {
      await this.doc.send(
        new PutCommand({ TableName: this.tableName, Item: item, ...expiry, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) return failedItemString(error, 'writeToken') === token;
      throw new DynamoStoreError(doing, this.tableName, error);
    }
  }

  /**
   * Runs a transaction. Undefined when it committed; the per-item cancellation codes when a condition
   * refused it, for the caller to interpret. A conflict with a concurrent transaction throws
   * TransactionConflict (see retryConflicts); anything else is wrapped with `doing`.
   */
  private async transact(doing: string, items: TransactItem[]): Promise<string[] | undefined> {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items, ClientRequestToken: randomUUID() }));
      return undefined;
    } catch (error) {
      const codes = cancellationCodes(error);
      if (codes?.includes('ConditionalCheckFailed')) return codes;
      if (codes?.includes('TransactionConflict')) throw new TransactionConflict(doing);
      throw new DynamoStoreError(doing, this.tableName, error);
    }
  }

  /**
   * DynamoDB cancels a transaction that touches an item another transaction is writing, without
   * checking its conditions. The write did not happen, so it is tried again (re-reading what it
   * depends on), with jittered backoff, until it commits or a condition answers.
   */
  private async retryConflicts<T>(doing: string, attempt: () => Promise<T>): Promise<T> {
    for (let n = 1; ; n++) {
      try {
        return await attempt();
      } catch (error) {
        if (!(error instanceof TransactionConflict)) throw error;
        if (n >= MAX_CONFLICT_ATTEMPTS) {
          throw new DynamoStoreError(doing, this.tableName, new Error(`still conflicting after ${n} attempts`));
        }
        await sleep(backoffMs(n));
      }
    }
  }

  /** Runs DynamoDB I/O (nothing else: every failure of `fn` is wrapped with what was being done). */
  private async run<T>(doing: string, fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      throw new DynamoStoreError(doing, this.tableName, error);
    }
  }

  /** A condition failed on an item whose condition the caller did not expect to fail: a bug, not a race. */
  private unexpected(doing: string, codes: readonly string[]): DynamoStoreError {
    return new DynamoStoreError(doing, this.tableName, new Error(`unexpected cancellation reasons: ${codes.join(', ')}`));
  }

  private checkTransactionSize(requestId: string, count: number): void {
    if (count > MAX_TRANSACTION_ITEMS) {
      throw new RangeError(
        `Request ${requestId}: this write changes ${count - 2} approver entries, more than one DynamoDB ` +
          `transaction holds (${MAX_TRANSACTION_ITEMS} items); name at most ${MAX_TRANSACTION_ITEMS - 2} approvers.`,
      );
    }
  }

  /** A query on one partition of an index, in ascending sort order, optionally bounded above. */
  private indexQuery(
    index: (typeof INDEX)[keyof typeof INDEX],
    partition: string,
    range: { lessThan?: string } = {},
  ): QueryCommandInput {
    const query: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: index.name,
      KeyConditionExpression: '#pk = :pk',
      ExpressionAttributeNames: { '#pk': index.partition },
      ExpressionAttributeValues: { ':pk': partition },
    };
    if (range.lessThan === undefined) return query;
    return {
      ...query,
      KeyConditionExpression: '#pk = :pk AND #sk < :below',
      ExpressionAttributeNames: { ...query.ExpressionAttributeNames, '#sk': index.sort },
      ExpressionAttributeValues: { ...query.ExpressionAttributeValues, ':below': range.lessThan },
    };
  }
}

function duplicateEvent(eventId: string): Error {
  return new Error(`Audit event ${eventId} is already recorded; every event needs a new id.`);
}
