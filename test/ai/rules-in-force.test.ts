/**
 * An admin's `/warden rules set` must reach the AI at once: the help assistant and the Bedrock
 * drafter read the rules in force (PolicyConfigHolder) at every call, not the copy from start-up.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { HelpAssistant } from '../../src/ai/help-assistant.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import type { AccessRules, Org } from '../../src/config/schemas.js';
import { memoryLogger } from '../../src/logger.js';
import { defaultGuardrails } from '../../src/policy/guardrails/index.js';
import { PolicyConfigHolder } from '../../src/policy/policy-config-holder.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { ManualClock } from '../support/manual-clock.js';
import { drafterSetup, type DrafterSetup } from './support/drafter-setup.js';
import { FakeBedrock, fakeLlm, reply } from './support/fake-bedrock.js';

let org: Org;
let rules: AccessRules;
const stores: SqliteStore[] = [];
let fake: FakeBedrock | undefined;
let setup: DrafterSetup | undefined;

beforeAll(async () => {
  ({ org, rules } = await loadPolicyConfig('examples'));
});

afterEach(async () => {
  await fake?.close();
  await setup?.close();
  fake = undefined;
  setup = undefined;
  for (const store of stores.splice(0)) await store.close();
});

function holder(): PolicyConfigHolder {
  const store = SqliteStore.open(':memory:');
  stores.push(store);
  const guardrails = defaultGuardrails();
  return new PolicyConfigHolder({
    org,
    store,
    base: { guardrails: { value: guardrails, text: stringify(guardrails) }, rules: { value: rules, text: stringify(rules) } },
  });
}

/** What `/warden rules set` stores: payments-prod now approved by the platform group, for at most 90 minutes. */
async function tightenPaymentsProd(config: PolicyConfigHolder): Promise<void> {
  const next: AccessRules = {
    ...rules,
    rules: rules.rules.map((r) => (r.name === 'payments-prod' ? { ...r, approvers: { ...r.approvers, users: [], groups: ['platform'] }, maxDurationMinutes: 90 } : r)),
  };
  const saved = await config.apply('access-rules', stringify(next), 'dave', '2026-11-23T10:05:00Z');
  expect(saved?.version).toBe(1);
}

describe('the rules the AI works from follow admin changes', () => {
  it('the next offline help answer names the new approvers and limit', async () => {
    const config = holder();
    const help = new HelpAssistant({ org, rules: config, logger: memoryLogger(), clock: new ManualClock() });
    const before = await help.answer({ userId: 'ana', question: 'who approves my requests?' });
    expect(before.text).toContain('- payments-prod: Ben Okafor or Carla Diaz');

    await tightenPaymentsProd(config);
    const after = await help.answer({ userId: 'ana', question: 'who approves my requests?' });
    expect(after.text).toContain('- payments-prod: Dave Kim (1 approval needed');
    expect(after.text).not.toContain('- payments-prod: Ben Okafor or Carla Diaz');
    expect((await help.answer({ userId: 'ana', question: 'How long can I get access for?' })).text).toContain('- payments-prod: at most 90 minutes');
  });

  it('the next help prompt sent to the model carries the new rules', async () => {
    const config = holder();
    fake = await FakeBedrock.start();
    const logger = memoryLogger();
    const help = new HelpAssistant({ org, rules: config, logger, clock: new ManualClock(), llm: fakeLlm(fake, logger) });
    fake.enqueue(reply.toolUse('answer', { answer: 'Ben Okafor or Carla Diaz.' }), reply.toolUse('answer', { answer: 'Dave Kim.' }));

    await help.answer({ userId: 'ana', question: 'who signs off my payments-prod access?' });
    await tightenPaymentsProd(config);
    await help.answer({ userId: 'ana', question: 'who signs off my payments-prod access?' });

    const [first, second] = fake.requests.map((r) => r.body.system?.[0]?.text ?? '');
    expect(first).toContain('- payments-prod (111111111111, prod): rule "payments-prod"; approved by Ben Okafor or Carla Diaz');
    expect(second).toContain('- payments-prod (111111111111, prod): rule "payments-prod"; approved by Dave Kim');
  });

  it('the next drafting prompt gives the requester the new maximum duration', async () => {
    const config = holder();
    setup = await drafterSetup({ drafter: { rules: config } });
    const questions = { questions: ['Which bucket holds the export?'] };
    setup.fake.enqueue(reply.toolUse('ask_questions', questions), reply.toolUse('ask_questions', questions));
    const ask = { messages: ['I need to read the billing export files in payments-prod S3'], requesterId: 'ana' };

    await setup.drafter.fromText(ask);
    await tightenPaymentsProd(config);
    await setup.drafter.fromText(ask);

    const [first, second] = setup.fake.requests.map((r) => r.body.system?.[0]?.text ?? '');
    expect(first).toContain('payments-prod: id 111111111111, prod, region eu-west-1; the requester may ask for up to 240 minutes');
    expect(second).toContain('payments-prod: id 111111111111, prod, region eu-west-1; the requester may ask for up to 90 minutes');
  });
});
