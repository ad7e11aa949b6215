/**
 * `/access help <question>`: answers about using Warden and about the asker's own rules, grounded in
 * help-reference.ts and the config. With a model, the answer is checked before it is shown (no
 * command Warden does not have); without one, or when the model fails, a deterministic answer
 * built from the same facts is given instead.
 */
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { Clock } from '../clock.js';
import type { Org } from '../config/schemas.js';
import { describeMinutes } from '../policy/request-text/duration.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { toolInputSchema } from './draft-schema.js';
import { ACCESS_COMMANDS, HOW_IT_WORKS, commandsText, unknownCommands } from './help-reference.js';
import { LlmError, type Llm, type LlmReply, type LlmTool } from './llm.js';
import { modelLines } from './model-text.js';
import { HELP_PROMPT_VERSION, helpSystemPrompt, helpUserMessage } from './prompts/help-v1.js';
import { dataBlock } from './transcript.js';
import { approversLine, describeUserRules, rulesNow, userRules, type RulesOption, type UserRules } from './user-rules.js';

export interface HelpQuestion {
  /** Org user id of the asker (already resolved from the chat user). */
  userId: string;
  question: string;
}

export interface HelpAnswer {
  /** Markdown subset of chat/cards (backticks, "- " lists); no links. */
  text: string;
  source: 'bedrock' | 'offline';
}

export interface HelpAssistantOptions {
  org: Org;
  /** Read at every question, so an admin's `/warden rules set` shows in the very next answer. */
  rules: RulesOption;
  logger: Logger;
  clock: Clock;
  /** Absent: offline answers only. */
  llm?: Llm;
  /** Share the drafter's breaker: both depend on the same model endpoint. */
  breaker?: CircuitBreaker;
}

const MAX_QUESTION_LENGTH = 500;
const ANSWER_TOOL = 'answer';
const AnswerSchema = z.object({
  answer: z.string().min(1).max(1500).describe('The answer, in two to five short sentences or a short list; commands in backticks.'),
});

const ANSWER_TOOLS: LlmTool[] = [
  { name: ANSWER_TOOL, description: 'Give the answer to show the user.', inputSchema: toolInputSchema(AnswerSchema) },
];

export class HelpAssistant {
  private readonly breaker: CircuitBreaker;

  constructor(private readonly options: HelpAssistantOptions) {
    this.breaker = options.breaker ?? new CircuitBreaker({ clock: options.clock });
  }

  async answer(input: HelpQuestion): Promise<HelpAnswer> {
    const question = input.question.trim().slice(0, MAX_QUESTION_LENGTH);
    const rules = userRules(this.options.org, rulesNow(this.options.rules), input.userId);
    const offline = (): HelpAnswer => ({ text: offlineHelpAnswer(question, rules), source: 'offline' });
    // No question is a request for the overview, which needs no model.
    if (!this.options.llm || question === '' || !this.breaker.tryAcquire()) return offline();
    const text = await this.askModel(this.options.llm, question, rules);
    return text === undefined ? offline() : { text, source: 'bedrock' };
  }

  private async askModel(llm: Llm, question: string, rules: UserRules): Promise<string | undefined> {
    const { logger } = this.options;
    const system = helpSystemPrompt({
      commands: commandsText(),
      howItWorks: HOW_IT_WORKS.map((line) => `- ${line}`).join('\n'),
      userName: rules.user?.name ?? 'the user',
      userRules: describeUserRules(rules).join('\n'),
    });
    let reply: LlmReply;
    try {
      reply = await llm.converse({
        purpose: 'help',
        promptVersion: HELP_PROMPT_VERSION,
        system,
        messages: [{ role: 'user', content: [{ type: 'text', text: helpUserMessage(dataBlock('question', question)) }] }],
        tools: ANSWER_TOOLS,
        toolChoice: 'any',
      });
    } catch (error) {
      // Help must always answer: any failure, ours included, ends in the offline answer.
      this.breaker.failure();
      const reason = error instanceof LlmError ? error.kind : 'error';
      if (!(error instanceof LlmError)) logger.error('ai help failed', { error: error instanceof Error ? error.name : 'unknown', promptVersion: HELP_PROMPT_VERSION });
      logger.info('ai help', { outcome: 'fallback', reason, promptVersion: HELP_PROMPT_VERSION });
      return undefined;
    }
    this.breaker.success();
    const call = reply.content.find((c) => c.type === 'toolUse' && c.name === ANSWER_TOOL);
    const parsed = AnswerSchema.safeParse(call?.type === 'toolUse' ? call.input : undefined);
    if (!parsed.success) {
      logger.info('ai help', { outcome: 'fallback', reason: 'unusable', promptVersion: HELP_PROMPT_VERSION });
      return undefined;
    }
    const text = modelLines(parsed.data.answer, 1500, 12);
    const invented = unknownCommands(text);
    if (invented.length > 0 || text === '') {
      // Grounding check: an answer naming a command Warden lacks would send the user nowhere.
      logger.info('ai help', { outcome: 'fallback', reason: 'invented-command', commands: invented, promptVersion: HELP_PROMPT_VERSION });
      return undefined;
    }
    logger.info('ai help', { outcome: 'answer', promptVersion: HELP_PROMPT_VERSION });
    return text;
  }
}

type Topic = 'approvers' | 'duration' | 'extend' | 'cancel' | 'release' | 'status' | 'denied' | 'request' | 'commands';

/** Words that pick a topic, matched on whole words; the first topics are the most specific. */
const TOPIC_WORDS: ReadonlyArray<readonly [Topic, readonly string[]]> = [
  ['approvers', ['approve', 'approves', 'approved', 'approver', 'approvers', 'approval', 'approvals', 'who', 'quorum', 'sign off']],
  ['duration', ['how long', 'duration', 'max', 'maximum', 'longest', 'hours', 'minutes', 'expire', 'expires', 'expiry', 'limit', 'limits']],
  ['extend', ['extend', 'extension', 'renew', 'more time', 'longer']],
  ['cancel', ['cancel', 'withdraw', 'undo']],
  ['release', ['release', 'revoke', 'end early', 'end it', 'early', 'done', 'finished', 'give back']],
  ['status', ['status', 'list', 'my requests', 'pending', 'waiting', 'where is']],
  ['denied', ['deny', 'denied', 'rejected', 'refused']],
  ['request', ['request', 'get access', 'need access', 'ask for', 'how do i', 'how can i', 'start', 'form']],
  ['commands', ['command', 'commands', 'what can you do', 'usage']],
];

/** Answered only when nothing more specific matched: "how do I request" yes, "who approves my request" no. */
const GENERAL_TOPICS: readonly Topic[] = ['request', 'commands'];

function topicsOf(question: string): Topic[] {
  const text = ` ${question.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ')} `;
  const matched = TOPIC_WORDS.filter(([, words]) => words.some((w) => text.includes(` ${w} `))).map(([topic]) => topic);
  const specific = matched.filter((t) => !GENERAL_TOPICS.includes(t));
  return specific.length > 0 ? specific : matched;
}

function allowed(rules: UserRules) {
  return rules.accounts.flatMap((r) => (r.allowed ? [r] : []));
}

function topicAnswer(topic: Topic, rules: UserRules): string {
  const usage = (sub: string) => `\`${ACCESS_COMMANDS.find((c) => c.usage.split(/\s+/)[1] === sub)?.usage ?? `/access ${sub}`}\``;
  switch (topic) {
    case 'approvers': {
      const lines = allowed(rules).map((r) => `- ${r.account.name}: ${approversLine(r)}`);
      return lines.length > 0 ? `Who approves your requests:\n${lines.join('\n')}\nYou never approve your own request.` : 'No access rule lets you request access yet; ask the platform team to add one.';
    }
    case 'duration': {
      const lines = allowed(rules).map((r) => `- ${r.account.name}: at most ${describeMinutes(r.maxDurationMinutes)}`);
      return `${lines.length > 0 ? `Your longest grants:\n${lines.join('\n')}\n` : ''}Access ends by itself at expiry: the policy carries the expiry time, and Warden revokes it on time. ${usage('status')} shows when a grant expires.`;
    }
    case 'extend':
      return `Warden has no command to extend access. When it runs out, ask again; ${usage('status')} shows when your access expires.`;
    case 'cancel':
      return `${usage('cancel')} withdraws a draft or a request still waiting for approval. ${usage('list')} shows your request ids.`;
    case 'release':
      return `${usage('release')} ends active access before it expires and revokes it. ${usage('list')} shows your request ids.`;
    case 'status':
      return `${usage('list')} shows your recent requests with their ids and states; ${usage('status')} shows one request with its approvals and expiry.`;
    case 'denied':
      return 'When an approver denies a request, Warden posts the reason in your thread. Make a new request with what the approver asked for.';
    case 'request':
      return `${HOW_IT_WORKS[0] ?? ''} Or use ${usage('request')} for a form.`;
    case 'commands':
      return `Commands:\n${commandsText()}`;
  }
}

/** The deterministic answer: the topics the question names, or an overview with the user's rules. */
export function offlineHelpAnswer(question: string, rules: UserRules): string {
  const topics = topicsOf(question).slice(0, 3);
  if (topics.length > 0) return topics.map((t) => topicAnswer(t, rules)).join('\n\n');
  const intro = question === '' ? '' : 'I could not match your question to a topic, so here is an overview.\n\n';
  return `${intro}${HOW_IT_WORKS[0] ?? ''}\n\nCommands:\n${commandsText()}\n\nYour rules:\n${describeUserRules(rules).join('\n')}`;
}
