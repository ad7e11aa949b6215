import { describe, expect, it } from 'vitest';
import { Directory } from '../../../src/access/directory.js';
import type { AccessRequest } from '../../../src/access/types.js';
import { accessHelpCard } from '../../../src/chat/cards/help-card.js';
import { literal, type Card } from '../../../src/chat/cards/model.js';
import {
  approvalCard,
  draftPreviewCard,
  notice,
  problemsCard,
  questionsCard,
  requestListCard,
  statusCard,
} from '../../../src/chat/cards/request-cards.js';
import { renderAdaptiveCard } from '../../../src/chat/teams/adaptive.js';
import { requestFormCard } from '../../../src/chat/teams/forms.js';
import { toAdaptiveMarkdown } from '../../../src/chat/teams/markdown.js';
import { sharedView, viewFor } from '../../../src/chat/teams/views.js';
import { executeActions } from '../../../src/playground/fake-teams/index.js';
import { makeRequest } from '../../support/builders.js';
import { sampleOrg } from '../../support/org.js';
import { adaptiveCardProblems } from '../../support/adaptive-validity.js';
import { AAD, orgWithTeams } from '../../support/teams-harness.js';

// The adaptivecards parser is the oracle (test/support/adaptive-validity.ts).
const problemsOf = adaptiveCardProblems;

const directory = new Directory(orgWithTeams(sampleOrg));
const base = (overrides: Partial<AccessRequest> = {}) =>
  makeRequest({ requesterId: 'ana', approverIds: ['ben', 'carla'], origin: { platform: 'teams', channel: 'a:1x', threadTs: '1' }, ...overrides });
const at = '2026-11-23T10:00:00.000Z';

const requests: Record<string, AccessRequest> = {
  drafting: base(),
  pending: base({ state: 'pending_approval' }),
  pendingOneVote: base({ state: 'pending_approval', quorum: 2, approvals: [{ userId: 'ben', at }] }),
  active: base({ state: 'active', approvals: [{ userId: 'ben', at }], grant: { grantedAt: at, expiresAt: '2026-11-23T12:00:00.000Z', mode: 'dry-run', handle: {} } }),
  denied: base({ state: 'denied', denial: { userId: 'carla', at, reason: 'use the export role' } }),
  cancelled: base({ state: 'cancelled', cancellation: { userId: 'ana', at, reason: 'cancelled by requester' } }),
  failed: base({ state: 'failed', failure: 'AccessDenied' }),
};

const modelCards: Record<string, Card> = {
  ...Object.fromEntries(Object.entries(requests).flatMap(([state, r]) => [
    [`draft preview (${state})`, draftPreviewCard(r, directory)],
    [`approval (${state})`, approvalCard(r, directory)],
    [`status (${state})`, statusCard(r, directory)],
  ])),
  'request list': requestListCard(Object.values(requests), true),
  'empty request list': requestListCard([], false),
  'one question': questionsCard(['How long do you need it?']),
  'several questions': questionsCard(['Which account?', 'How long?']),
  problems: problemsCard('It cannot be submitted:', [{ code: 'x', message: 'Unknown action `s3:Foo`.' }]),
  notice: notice('✅ Done.'),
  help: accessHelpCard(),
};

describe('Adaptive Card rendering of the card model', () => {
  it.each(Object.entries(modelCards))('%s renders to an Adaptive Card 1.5 the official parser accepts', (_name, card) => {
    const rendered = renderAdaptiveCard(card);
    expect(rendered.version).toBe('1.5');
    expect(problemsOf(rendered)).toEqual([]);
  });

  it.each(Object.entries(requests))('the %s request views, shared and per person (forms included), parse cleanly', (_state, request) => {
    for (const view of ['approval', 'draft', 'status'] as const) {
      expect(problemsOf(sharedView(request, view, directory))).toEqual([]);
      for (const person of ['ana', 'ben', 'carla', 'dave']) expect(problemsOf(viewFor(request, view, person, directory, { text: '⚠️ note', tone: 'warning' }))).toEqual([]);
    }
  });

  it('the access request form parses cleanly', () => {
    expect(problemsOf(requestFormCard(sampleOrg.accounts))).toEqual([]);
  });

  it('turns buttons into Action.Execute with the action id as verb and the request id as data', () => {
    const request = requests['pending']!;
    const card = renderAdaptiveCard(approvalCard(request, directory));
    const actions = executeActions(JSON.parse(JSON.stringify(card)));
    expect(actions).toEqual([
      { type: 'Action.Execute', title: 'Approve', verb: 'request.approve', data: { requestId: request.id } },
      { type: 'Action.Execute', title: 'Deny', verb: 'request.deny', data: { requestId: request.id } },
    ]);
    expect(JSON.stringify(card)).toMatch(/"verb":"request.approve","data":\{"requestId":"[^"]+"\},"style":"positive"/);
  });

  it('shows buttons only to who may act, and names them in refresh by Teams MRI', () => {
    const pending = requests['pendingOneVote']!;
    const shared = sharedView(pending, 'approval', directory);
    expect(executeActions(JSON.parse(JSON.stringify(shared))).filter((a) => a.verb !== 'refresh')).toEqual([]);
    // Ben has voted and Ana is the requester: only Carla may still act.
    expect(shared.refresh?.userIds).toEqual([`8:orgid:${AAD.carla}`]);
    expect(shared.refresh?.action).toEqual({ type: 'Action.Execute', title: 'Refresh', verb: 'refresh', data: { requestId: pending.id, view: 'approval' } });

    const verbs = (person: string) => executeActions(JSON.parse(JSON.stringify(viewFor(pending, 'approval', person, directory)))).map((a) => a.verb);
    expect(verbs('carla')).toEqual(['request.approve', 'request.deny']);
    for (const person of ['ana', 'ben', 'dave']) expect(verbs(person)).toEqual([]);

    // The deny reason is an input on the card itself, required, sent with the Deny action.
    const deny = viewFor(pending, 'approval', 'carla', directory).body.find((e) => e.type === 'ActionSet');
    expect(JSON.stringify(deny)).toMatch(/"type":"Action.ShowCard","title":"Deny"/);
    expect(JSON.stringify(deny)).toMatch(/"id":"reason".*"isRequired":true/);
    expect(JSON.stringify(deny)).toMatch(/"associatedInputs":"auto"/);

    const decided = sharedView(requests['denied']!, 'approval', directory);
    expect(decided.refresh).toBeUndefined();
  });

  it('keeps the markdown subset, typed text literal, and speaks of Teams commands', () => {
    expect(toAdaptiveMarkdown('Run `/access list` or /access help.')).toBe('Run `access list` or access help.');
    expect(toAdaptiveMarkdown('**Why**\n_soon_ `s3:GetObject` [docs](https://example.com/a)')).toBe('**Why**\n_soon_ `s3:GetObject` [docs](https://example.com/a)');
    const card = renderAdaptiveCard({ fallback: 'f', blocks: [{ type: 'header', text: literal('a *b* [c]') }, { type: 'text', text: `**Why**\n${literal('**not bold** [x](https://evil.example)')}` }] });
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: 'a *b* [c]', style: 'heading' });
    expect(JSON.stringify(card.body[1])).toContain('\\\\*\\\\*not bold\\\\*\\\\* \\\\[x\\\\](https://evil.example)');
  });
});
