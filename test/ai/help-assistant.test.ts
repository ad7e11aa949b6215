import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HelpAssistant, offlineHelpAnswer } from '../../src/ai/help-assistant.js';
import { ACCESS_SUBCOMMANDS, unknownCommands } from '../../src/ai/help-reference.js';
import { userRules } from '../../src/ai/user-rules.js';
import { accessHelpCard } from '../../src/chat/cards/help-card.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import type { AccessRules, Org } from '../../src/config/schemas.js';
import { memoryLogger } from '../../src/logger.js';
import { ManualClock } from '../support/manual-clock.js';
import { FakeBedrock, fakeLlm, reply } from './support/fake-bedrock.js';

let org: Org;
let rules: AccessRules;
let fake: FakeBedrock | undefined;

beforeAll(async () => {
  ({ org, rules } = await loadPolicyConfig('examples'));
});

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function offlineAssistant() {
  return new HelpAssistant({ org, rules, logger: memoryLogger(), clock: new ManualClock() });
}

async function bedrockAssistant(config = {}) {
  fake = await FakeBedrock.start();
  const logger = memoryLogger();
  const assistant = new HelpAssistant({ org, rules, logger, clock: new ManualClock(), llm: fakeLlm(fake, logger, config) });
  return { assistant, logger, fake };
}

describe('help reference', () => {
  it('lists exactly the /access subcommands of the help card', () => {
    const card = JSON.stringify(accessHelpCard());
    const onCard = new Set([...card.matchAll(/\/access (\w+)/g)].map((m) => m[1]));
    expect(new Set(ACCESS_SUBCOMMANDS)).toEqual(onCard);
  });

  it('finds commands Warden does not have, and leaves paths and prose alone', () => {
    expect(unknownCommands('Use `/access list`, then `/access status <id>`. Logs are in /aws/lambda/checkout and/or /ecs/api.')).toEqual([]);
    expect(unknownCommands('Run `/access extend <id>` or /grant.')).toEqual(['/access extend', '/grant']);
    expect(unknownCommands('Type `/warden admin` to change rules.')).toEqual(['/warden admin']);
    // Warden's other commands are real and may be pointed to.
    expect(unknownCommands('Use `/run web-1 payments-prod restart -- sudo systemctl restart app`, `/scan payments-prod` or `/warden rules`.')).toEqual([]);
  });
});

describe('offline help answers', () => {
  it('names who approves the asker’s requests, per account, never the asker', () => {
    const answer = offlineHelpAnswer('who approves my requests?', userRules(org, rules, 'ana'));
    expect(answer).toContain('- payments-prod: Ben Okafor or Carla Diaz (1 approval needed; cards go to a DM to each approver)');
    expect(answer).toContain('- sandbox: Dave Kim, Ben Okafor or Carla Diaz (1 approval needed; cards go to the #access-requests channel)');
    const forDave = offlineHelpAnswer('who approves my requests?', userRules(org, rules, 'dave'));
    expect(forDave).toContain('- sandbox: Ben Okafor or Carla Diaz');
  });

  it('gives the asker’s maximum durations', () => {
    const answer = offlineHelpAnswer('How long can I get access for?', userRules(org, rules, 'ana'));
    expect(answer).toContain('- payments-prod: at most 4 hours');
    expect(answer).toContain('- sandbox: at most 8 hours');
  });

  it('does not invent a command for something Warden cannot do', () => {
    const answer = offlineHelpAnswer('can I extend my access?', userRules(org, rules, 'ana'));
    expect(answer).toMatch(/no command to extend/);
    expect(unknownCommands(answer)).toEqual([]);
  });

  it('answers an unmatched or empty question with the overview and the asker’s rules', () => {
    const answer = offlineHelpAnswer('', userRules(org, rules, 'ana'));
    expect(answer).toContain('`/access release <id>`');
    expect(answer).toContain('rule "payments-prod"');
    expect(answer).toContain('expires after 1 day');
    expect(offlineHelpAnswer('what is the meaning of life', userRules(org, rules, 'ana'))).toMatch(/^I could not match your question/);
  });

  it('is what the assistant answers when no model is configured', async () => {
    const answer = await offlineAssistant().answer({ userId: 'ana', question: 'how do I cancel a request?' });
    expect(answer.source).toBe('offline');
    expect(answer.text).toContain('`/access cancel <id>` withdraws a draft or a request still waiting for approval.');
  });
});

describe('help with a model', () => {
  it('answers from the reference and the asker’s rules, with the question as data', async () => {
    const { assistant, logger } = await bedrockAssistant();
    fake!.enqueue(reply.toolUse('answer', { answer: 'Ben Okafor or Carla Diaz approve your payments-prod requests; one approval is enough. See `/access status <id>` for progress.' }));
    const answer = await assistant.answer({ userId: 'ana', question: 'who signs off my payments-prod access?' });
    expect(answer).toEqual({ source: 'bedrock', text: 'Ben Okafor or Carla Diaz approve your payments-prod requests; one approval is enough. See `/access status <id>` for progress.' });

    const sent = fake!.requests[0];
    const system = sent?.body.system?.[0]?.text ?? '';
    expect(system).toContain('- `/access release <id>`: ends active access before it expires and revokes it');
    expect(system).toContain('- payments-prod (111111111111, prod): rule "payments-prod"; approved by Ben Okafor or Carla Diaz');
    expect(system).toContain('Speak to Ana Lima as "you"');
    expect(system).not.toContain('signs off');
    expect(String(sent?.body.messages[0]?.content[0]?.['text'])).toContain('<question>\n"who signs off my payments-prod access?"\n</question>');
    expect(sent?.body.toolConfig?.toolChoice).toEqual({ any: {} });
    expect(JSON.stringify(logger.lines)).not.toContain('signs off');
  });

  it('rejects an answer that invents a command and gives the offline answer instead', async () => {
    const { assistant, logger } = await bedrockAssistant();
    fake!.enqueue(reply.toolUse('answer', { answer: 'Use `/access extend <id> 2h` to get more time.' }));
    const answer = await assistant.answer({ userId: 'ana', question: 'can I extend my access?' });
    expect(answer.source).toBe('offline');
    expect(answer.text).toMatch(/no command to extend/);
    expect(logger.lines.find((l) => l.message === 'ai help')?.fields).toMatchObject({ outcome: 'fallback', reason: 'invented-command', commands: ['/access extend'] });
  });

  it('falls back to the offline answer when the model fails or answers without the tool', async () => {
    const { assistant } = await bedrockAssistant({ maxAttempts: 1 });
    fake!.enqueue(reply.unavailable(), reply.text('Sure, ask Ben.'));
    expect((await assistant.answer({ userId: 'ana', question: 'who approves my requests?' })).source).toBe('offline');
    const second = await assistant.answer({ userId: 'ana', question: 'who approves my requests?' });
    expect(second.source).toBe('offline');
    expect(second.text).toContain('Ben Okafor or Carla Diaz');
  });

  it('does not call the model for a bare `/access help`', async () => {
    const { assistant } = await bedrockAssistant();
    expect((await assistant.answer({ userId: 'ana', question: '  ' })).source).toBe('offline');
    expect(fake!.requests).toHaveLength(0);
  });
});
