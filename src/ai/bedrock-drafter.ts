/**
 * The conversational drafter on a chat model (Claude on Amazon Bedrock). The model's output is
 * untrusted: it is parsed with zod, every action and ARN is checked against the IAM catalog, and
 * problems go back to the model for at most `maxRepairs` turns. Whatever cannot be fixed, and every
 * model failure, ends in the offline drafter, with a note saying so. checkDraft still runs on the
 * result before any approver sees it.
 */
import { Directory } from '../access/directory.js';
import type { DraftResult, Drafter, FieldsDraftInput, TextDraftInput } from '../access/drafter.js';
import type { PermissionDraft } from '../access/types.js';
import type { Logger } from '../logger.js';
import type { Clock } from '../clock.js';
import type { AccessRules, Org } from '../config/schemas.js';
import type { IamCatalog } from '../policy/catalog.js';
import { MAX_TEXT_LENGTH, wildcardNotes } from '../policy/draft-plan.js';
import { CircuitBreaker } from './circuit-breaker.js';
import { draftingFacts, type ResourceHints } from './draft-context.js';
import { reviewProposal } from './draft-review.js';
import { ASK_QUESTIONS_TOOL, DraftProposalSchema, QuestionsProposalSchema, SUBMIT_DRAFT_TOOL, draftingTools } from './draft-schema.js';
import { describeLlmError, LlmError, type Llm, type LlmContent, type LlmErrorKind, type LlmMessage, type LlmReply } from './llm.js';
import { modelText } from './model-text.js';
import { CALL_A_TOOL, DRAFTING_PROMPT_VERSION, draftingSystemPrompt, draftingUserMessage, repairMessage } from './prompts/drafting-v2.js';
import { transcriptBlock, transcriptOf, trimToBudget } from './transcript.js';
import { rulesNow, type RulesOption } from './user-rules.js';

export interface BedrockDrafterOptions {
  llm: Llm;
  /** Used for the modal, for input it refuses anyway, and whenever the model cannot deliver. */
  offline: Drafter;
  catalog: IamCatalog;
  org: Org;
  /** Read at every draft, so the prompt and the review follow an admin's `/warden rules set`. */
  rules: RulesOption;
  clock: Clock;
  logger: Logger;
  /** Share one breaker with the help assistant: both see the same service. Defaults to a new one. */
  breaker?: CircuitBreaker;
  /** Correction turns after the first reply. */
  maxRepairs?: number;
  /** Tokens of conversation sent to the model; older turns beyond it are left out. */
  historyTokenBudget?: number;
  resourceHints?: ResourceHints;
}

const DEFAULT_MAX_REPAIRS = 2;
const DEFAULT_HISTORY_TOKENS = 2000;

type ModelOutcome =
  | { kind: 'draft'; draft: PermissionDraft; explanation: string; repairs: number }
  | { kind: 'questions'; questions: string[]; repairs: number }
  | { kind: 'unusable'; repairs: number; lastProblems: string[] }
  | { kind: 'failed'; error: LlmErrorKind; repairs: number };

/** What one reply amounts to: a result, or what to tell the model in the next turn. */
type Interpretation =
  | { kind: 'draft'; draft: PermissionDraft; explanation: string }
  | { kind: 'questions'; questions: string[] }
  | { kind: 'retry'; problems: string[]; next: LlmContent[] };

export class BedrockDrafter implements Drafter {
  private readonly directory: Directory;
  private readonly breaker: CircuitBreaker;
  private readonly maxRepairs: number;
  private readonly historyTokenBudget: number;

  constructor(private readonly options: BedrockDrafterOptions) {
    this.directory = new Directory(options.org);
    this.breaker = options.breaker ?? new CircuitBreaker({ clock: options.clock });
    this.maxRepairs = options.maxRepairs ?? DEFAULT_MAX_REPAIRS;
    this.historyTokenBudget = options.historyTokenBudget ?? DEFAULT_HISTORY_TOKENS;
  }

  /** The modal's fields are already structured and exact: the offline drafter builds them deterministically. */
  fromFields(input: FieldsDraftInput): Promise<DraftResult> {
    return this.options.offline.fromFields(input);
  }

  async fromText(input: TextDraftInput): Promise<DraftResult> {
    const text = input.messages.join('\n');
    // Empty or oversized input gets the offline drafter's explanation; no model call is worth it.
    if (text.trim() === '' || text.length > MAX_TEXT_LENGTH) return this.options.offline.fromText(input);
    if (!this.breaker.tryAcquire()) {
      this.log('fallback', { reason: 'circuit-open', repairs: 0 });
      return this.fallback(input, `Claude on Amazon Bedrock is paused after repeated failures, so the offline drafter wrote this draft.`);
    }
    let outcome: ModelOutcome;
    try {
      outcome = await this.askModel(input);
    } catch (error) {
      // A bug on Warden's side must not cost the requester their draft; it is logged without user text.
      // It counts as a failure too, which also releases a half-open trial that would otherwise stay taken.
      this.breaker.failure();
      this.options.logger.error('ai draft failed', { error: error instanceof Error ? error.name : 'unknown', promptVersion: DRAFTING_PROMPT_VERSION });
      return this.fallback(input, 'The AI drafter failed, so the offline drafter wrote this draft.');
    }
    switch (outcome.kind) {
      case 'draft': {
        this.log('draft', { repairs: outcome.repairs });
        const { draft } = outcome;
        const made = `Drafted by Claude on Amazon Bedrock (${this.options.llm.modelId})${outcome.repairs > 0 ? ` after ${outcome.repairs} correction(s) from Warden's IAM checks` : ''}.`;
        const accounts = draft.alsoIn
          ? [
              `Accounts: ${[draft, ...draft.alsoIn].map((a) => `${a.accountName} (${a.accountId})`).join(', ')}: one request per account, each to its own approvers.`,
            ]
          : [];
        draft.notes = [made, `AI explanation: ${modelText(outcome.explanation, 400)}`, ...accounts, ...(await wildcardNotes(this.options.catalog, draft.statements))];
        return { kind: 'draft', draft };
      }
      case 'questions':
        this.log('questions', { repairs: outcome.repairs });
        return { kind: 'questions', questions: outcome.questions };
      case 'unusable':
        this.log('fallback', { reason: 'unusable', repairs: outcome.repairs, problems: outcome.lastProblems.length });
        return this.fallback(
          input,
          `Claude's draft still failed Warden's IAM checks after ${outcome.repairs} correction(s), so the offline drafter wrote this draft.`,
        );
      case 'failed':
        this.log('fallback', { reason: outcome.error, repairs: outcome.repairs });
        return this.fallback(input, `Claude on Amazon Bedrock ${describeLlmError(outcome.error)}, so the offline drafter wrote this draft.`);
    }
  }

  private log(outcome: string, fields: Record<string, unknown>): void {
    this.options.logger.info('ai draft', { outcome, promptVersion: DRAFTING_PROMPT_VERSION, modelId: this.options.llm.modelId, ...fields });
  }

  private async fallback(input: TextDraftInput, note: string): Promise<DraftResult> {
    const result = await this.options.offline.fromText(input);
    if (result.kind !== 'draft') return result;
    return { kind: 'draft', draft: { ...result.draft, notes: [note, ...result.draft.notes] } };
  }

  /** The first turn and up to `maxRepairs` corrections. Reports every call's health to the breaker. */
  private async askModel(input: TextDraftInput): Promise<ModelOutcome> {
    const { llm, catalog, org, resourceHints } = this.options;
    // One snapshot per draft: the prompt and the review of its replies judge by the same rules.
    const rules = rulesNow(this.options.rules);
    const turns = transcriptOf(input);
    const requesterTexts = turns.filter((t) => t.from === 'requester').map((t) => t.text);
    const facts = await draftingFacts({ catalog, org, rules, directory: this.directory, ...(resourceHints ? { resourceHints } : {}) }, input.requesterId, requesterTexts);
    const system = draftingSystemPrompt(facts);
    const tools = draftingTools();
    const messages: LlmMessage[] = [
      { role: 'user', content: [{ type: 'text', text: draftingUserMessage(transcriptBlock(trimToBudget(turns, this.historyTokenBudget))) }] },
    ];

    let lastProblems: string[] = [];
    for (let repairs = 0; repairs <= this.maxRepairs; repairs += 1) {
      let reply: LlmReply;
      try {
        reply = await llm.converse({
          purpose: repairs === 0 ? 'draft' : 'draft-repair',
          promptVersion: DRAFTING_PROMPT_VERSION,
          system,
          messages,
          tools,
          toolChoice: 'any',
        });
      } catch (error) {
        if (!(error instanceof LlmError)) throw error;
        this.breaker.failure();
        return { kind: 'failed', error: error.kind, repairs };
      }
      this.breaker.success();
      const read = await this.interpret(reply, input.requesterId, rules);
      if (read.kind === 'draft') return { ...read, repairs };
      if (read.kind === 'questions') return { ...read, repairs };
      lastProblems = read.problems;
      messages.push({ role: 'assistant', content: reply.content.length > 0 ? reply.content : [{ type: 'text', text: '(no reply)' }] });
      messages.push({ role: 'user', content: read.next });
    }
    return { kind: 'unusable', repairs: this.maxRepairs, lastProblems };
  }

  private async interpret(reply: LlmReply, requesterId: string, rules: AccessRules): Promise<Interpretation> {
    const calls = reply.content.flatMap((c) => (c.type === 'toolUse' ? [c] : []));
    const [call, ...extra] = calls;
    if (!call) return { kind: 'retry', problems: ['no tool call'], next: [{ type: 'text', text: CALL_A_TOOL }] };
    // Every tool call needs a result in the next turn; only the first one counts.
    const ignored = extra.map((c): LlmContent => ({ type: 'toolResult', toolUseId: c.toolUseId, status: 'error', text: 'Ignored: call one tool at a time.' }));
    const answer = (problems: string[]): Interpretation => ({
      kind: 'retry',
      problems,
      next: [{ type: 'toolResult', toolUseId: call.toolUseId, status: 'error', text: repairMessage(problems) }, ...ignored],
    });

    if (call.name === ASK_QUESTIONS_TOOL) {
      const parsed = QuestionsProposalSchema.safeParse(call.input);
      if (!parsed.success) return answer(parsed.error.issues.map(issueText));
      const questions = [...new Set(parsed.data.questions.map((q) => modelText(q, 300)).filter((q) => q.length > 0))];
      return questions.length > 0 ? { kind: 'questions', questions } : answer(['The questions were empty.']);
    }
    if (call.name !== SUBMIT_DRAFT_TOOL) return answer([`There is no tool "${modelText(call.name, 60)}"; use ${SUBMIT_DRAFT_TOOL} or ${ASK_QUESTIONS_TOOL}.`]);

    const parsed = DraftProposalSchema.safeParse(call.input);
    if (!parsed.success) return answer(parsed.error.issues.map(issueText));
    const { directory } = this;
    const { catalog, org } = this.options;
    const review = await reviewProposal({ catalog, org, rules, directory }, requesterId, parsed.data);
    if (!review.ok) return answer(review.problems);
    return { kind: 'draft', draft: review.draft, explanation: parsed.data.explanation };
  }
}

/** A zod issue as a sentence for the model: where in the input, and what is wrong. */
function issueText(issue: { path: PropertyKey[]; message: string }): string {
  const where = issue.path.length > 0 ? issue.path.map(String).join('.') : 'input';
  return `${where}: ${issue.message}`;
}
