import { describe, expect, it } from 'vitest';
import type { AuditEventView, AwsCallView, OrgPerson, PageMessage } from '../../../src/playground/api-types.js';
import { renderAuditPanel } from '../../../src/playground/web/inspector/audit-panel.js';
import { renderAwsPanel } from '../../../src/playground/web/inspector/aws-panel.js';
import { highlightJson } from '../../../src/playground/web/inspector/json-highlight.js';
import { initialPerson, personLabel } from '../../../src/playground/web/people-switcher.js';
import { channelMessages, renderMessage, threadMessages } from '../../../src/playground/web/slack/message-list.js';
import { renderSidebar } from '../../../src/playground/web/slack/sidebar.js';
import { UnreadTracker } from '../../../src/playground/web/slack/unread.js';
import { safetyProblems as blockKitSafetyProblems, visibleText } from '../block-kit/html-check.js';

/** The page's chrome uses a few more elements than Block Kit does. */
const safetyProblems = (html: string) => blockKitSafetyProblems(html, { tags: ['article', 'time', 'dl', 'dt', 'dd', 'section', 'nav'], attributes: ['aria-hidden', 'aria-current', 'open'] });

const message = (overrides: Partial<PageMessage>): PageMessage => ({
  ts: '1795420860.000100',
  threadTs: null,
  user: 'U0ANA',
  bot: false,
  text: 'hello',
  blocks: null,
  replyCount: 0,
  latestReply: null,
  edited: false,
  ephemeral: false,
  ...overrides,
});

const listOptions = {
  channel: 'DU0ANA',
  ctx: { userName: () => undefined, channelName: () => undefined },
  authorOf: (m: PageMessage) => (m.bot ? { id: 'U0FAKEBOT', name: 'Warden', bot: true } : { id: m.user, name: 'Ana <Lima>', bot: false }),
  mode: 'channel' as const,
};

describe('messages', () => {
  it('shows the author, the APP tag for the bot, replies and the ephemeral note', () => {
    const bot = renderMessage(message({ bot: true, user: 'U0FAKEBOT', text: '*hi*', replyCount: 2, ephemeral: true, edited: true }), listOptions);
    expect(visibleText(bot)).toMatch(/^W WardenAPP.*\d\d:\d\d.*\(edited\) hi 👁 Only visible to you 2 replies$/);
    expect(bot).toContain('data-open-thread="1795420860.000100"');
    expect(bot).toContain('data-channel="DU0ANA" data-ts="1795420860.000100"');
    const person = renderMessage(message({ text: '&lt;b&gt;x&lt;/b&gt;' }), listOptions);
    expect(visibleText(person)).toContain('Ana <Lima>');
    expect(visibleText(person)).toContain('<b>x</b>');
    expect(safetyProblems(person)).toEqual([]);
  });

  it('prefers blocks to the fallback text, as Slack does', () => {
    const html = renderMessage(message({ text: 'fallback', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Card' } }] }), listOptions);
    expect(visibleText(html)).toContain('Card');
    expect(html).not.toContain('fallback');
  });

  it('splits a conversation into its top-level messages and a thread', () => {
    const all = [message({ ts: '1.1', replyCount: 1 }), message({ ts: '1.2', threadTs: '1.1' }), message({ ts: '1.3' })];
    expect(channelMessages(all).map((m) => m.ts)).toEqual(['1.1', '1.3']);
    expect(threadMessages(all, '1.1').map((m) => m.ts)).toEqual(['1.1', '1.2']);
  });
});

describe('sidebar and unread counts', () => {
  it('counts others’ new top-level messages until the conversation is seen', () => {
    const unread = new UnreadTracker();
    const messages = [message({ ts: '1.1', user: 'U0FAKEBOT' }), message({ ts: '1.2', user: 'U0BEN' }), message({ ts: '1.3', threadTs: '1.1', user: 'U0FAKEBOT' })];
    expect(unread.count('U0BEN', 'DU0BEN', messages)).toBe(1);
    unread.markSeen('U0BEN', 'DU0BEN', messages);
    expect(unread.count('U0BEN', 'DU0BEN', [...messages, message({ ts: '2.0', user: 'U0FAKEBOT' })])).toBe(1);
    expect(unread.count('U0ANA', 'DU0BEN', messages)).toBe(2);
  });

  it('lists channels and the DM with badges and the selection', () => {
    const html = renderSidebar('warden-playground', [
      { conversation: { id: 'C0ACCESSREQ', kind: 'channel', name: 'access-requests' }, unread: 2, selected: false },
      { conversation: { id: 'DU0ANA', kind: 'im', name: 'Warden' }, unread: 0, selected: true },
    ]);
    expect(visibleText(html)).toBe('warden-playground Channels #access-requests2 Direct messages ●Warden APP');
    expect(html).toContain('class="sidebar__item is-selected" data-conversation="DU0ANA" aria-current="true"');
  });
});

describe('people', () => {
  const people: OrgPerson[] = [
    { id: 'ben', name: 'Ben Okafor', email: null, slackId: 'U0BEN', aadObjectId: null, groups: [], approves: ['payments-prod', 'sandbox'], role: 'approver' },
    { id: 'eve', name: 'Eve', email: null, slackId: null, aadObjectId: null, groups: [], approves: [], role: 'requester' },
    { id: 'ana', name: 'Ana Lima', email: null, slackId: 'U0ANA', aadObjectId: null, groups: [], approves: [], role: 'requester' },
  ];

  it('starts as the requested person, else the first requester with a Slack id', () => {
    expect(initialPerson(people, 'U0BEN')?.id).toBe('ben');
    expect(initialPerson(people, null)?.id).toBe('ana');
    expect(initialPerson(people, 'U0NOBODY')?.id).toBe('ana');
    expect(personLabel(people[0]!)).toBe('Ben Okafor — approver (payments-prod, sandbox)');
  });
});

describe('side panels', () => {
  it('highlights JSON without letting any of it become markup', () => {
    expect(highlightJson('{\n  "a<b>": "x\\"</pre>",\n  "n": -1.5e3,\n  "t": true\n}')).toBe(
      '{\n  <span class="json__key">&quot;a&lt;b&gt;&quot;</span>: <span class="json__string">&quot;x\\&quot;&lt;/pre&gt;&quot;</span>,\n  <span class="json__key">&quot;n&quot;</span>: <span class="json__number">-1.5e3</span>,\n  <span class="json__key">&quot;t&quot;</span>: <span class="json__literal">true</span>\n}',
    );
  });

  it('groups AWS calls by request, newest request first, with tags as lines and the policy open', () => {
    const call = (requestId: string, operation: string, extra: Partial<AwsCallView> = {}): AwsCallView => ({ id: `${requestId}-${operation}`, at: '2026-11-23T09:41:00.000Z', requestId, mode: 'dry-run', service: 'iam', operation, params: {}, documents: [], ...extra });
    const html = renderAwsPanel([
      call('r-1', 'CreateRole', { params: { RoleName: 'warden-r-1', Tags: [{ Key: 'warden:requester', Value: 'ana' }] }, documents: [{ name: 'AssumeRolePolicyDocument', json: '{}' }] }),
      call('r-1', 'PutRolePolicy', { documents: [{ name: 'PolicyDocument', json: '{"Version": "2012-10-17"}' }] }),
      call('r-2', 'DeleteRole'),
    ]);
    expect([...html.matchAll(/data-operation="(\w+)"/g)].map((m) => m[1])).toEqual(['DeleteRole', 'CreateRole', 'PutRolePolicy']);
    expect(html).toContain('<li>warden:requester = ana</li>');
    expect(html).toContain('<details class="aws-call__document"><summary>AssumeRolePolicyDocument</summary>');
    expect(html).toContain('<details class="aws-call__document" open><summary>PolicyDocument</summary>');
    expect(visibleText(renderAwsPanel([]))).toContain('No AWS calls yet');
  });

  it('lists audit events newest first, with the AWS operation or the reason beside the type', () => {
    const event = (id: string, type: string, detail: Record<string, unknown>): AuditEventView => ({ id, at: '2026-11-23T09:41:00.000Z', requestId: 'r-1', actorId: 'ben', actorName: 'Ben Okafor', type, detail });
    const html = renderAuditPanel([event('e1', 'aws.call', { service: 'iam', operation: 'PutRolePolicy' }), event('e2', 'request.denied', { reason: 'use <the> role' })]);
    const text = visibleText(html);
    expect(text.indexOf('request.denied')).toBeLessThan(text.indexOf('aws.call'));
    expect(text).toMatch(/request\.denied\s*“use <the> role”/);
    expect(text).toMatch(/aws\.call\s*iam:PutRolePolicy/);
    expect(safetyProblems(html)).toEqual([]);
  });
});
