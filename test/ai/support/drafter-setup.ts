/** The Bedrock drafter wired to a fake Converse endpoint, the sample org and the real IAM catalog. */
import { checkDraft, type CheckResult } from '../../../src/access/checks.js';
import { Directory } from '../../../src/access/directory.js';
import type { PermissionDraft } from '../../../src/access/types.js';
import { BedrockDrafter, type BedrockDrafterOptions } from '../../../src/ai/bedrock-drafter.js';
import { CircuitBreaker } from '../../../src/ai/circuit-breaker.js';
import type { BedrockConfig } from '../../../src/ai/config.js';
import { loadPolicyConfig } from '../../../src/config/load-policy-files.js';
import type { AccessRules, Org } from '../../../src/config/schemas.js';
import { memoryLogger } from '../../../src/logger.js';
import { createOfflinePolicy, type OfflinePolicy } from '../../../src/policy/offline-policy.js';
import { ManualClock } from '../../support/manual-clock.js';
import { FakeBedrock, fakeLlm } from './fake-bedrock.js';

export interface DrafterSetup {
  fake: FakeBedrock;
  drafter: BedrockDrafter;
  logger: ReturnType<typeof memoryLogger>;
  clock: ManualClock;
  breaker: CircuitBreaker;
  policy: OfflinePolicy;
  org: Org;
  rules: AccessRules;
  /** The deterministic gate every draft passes before an approver sees it (access/checks.ts). */
  gate(draft: PermissionDraft, requesterId?: string): Promise<CheckResult>;
  close(): Promise<void>;
}

let shared: Promise<{ org: Org; rules: AccessRules; policy: OfflinePolicy }> | undefined;

/** The catalog and config load once per file: they are read-only. */
function policyOnce() {
  shared ??= (async () => {
    const { org, rules } = await loadPolicyConfig('examples');
    return { org, rules, policy: await createOfflinePolicy(org, rules) };
  })();
  return shared;
}

export async function drafterSetup(
  options: { config?: Partial<BedrockConfig>; breaker?: { failureThreshold?: number; cooldownMs?: number }; drafter?: Partial<BedrockDrafterOptions> } = {},
): Promise<DrafterSetup> {
  const { org, rules, policy } = await policyOnce();
  const fake = await FakeBedrock.start();
  const logger = memoryLogger();
  const clock = new ManualClock();
  const breaker = new CircuitBreaker({ clock, ...options.breaker });
  const drafter = new BedrockDrafter({
    llm: fakeLlm(fake, logger, options.config),
    offline: policy.drafter,
    catalog: policy.catalog,
    org,
    rules,
    clock,
    logger,
    breaker,
    ...options.drafter,
  });
  const directory = new Directory(org);
  return {
    fake,
    drafter,
    logger,
    clock,
    breaker,
    policy,
    org,
    rules,
    gate: (draft, requesterId = 'ana') => checkDraft({ directory, rules, actionChecker: policy.actionChecker, clock }, requesterId, draft),
    close: () => fake.close(),
  };
}

export const ASK = 'I need read access to the billing-reports S3 bucket in payments-prod for 2 hours to debug the export job';

/** What a careful model proposes for ASK. */
export const GOOD_PROPOSAL = {
  accountId: '111111111111',
  accessLevel: 'Read',
  statements: [
    { actions: ['s3:GetObject'], resources: ['arn:aws:s3:::billing-reports/*'] },
    { actions: ['s3:ListBucket'], resources: ['arn:aws:s3:::billing-reports'] },
  ],
  durationMinutes: 120,
  justification: 'Debug the export job.',
  explanation: 'Lets you read and list the objects in billing-reports for two hours; nothing can be changed.',
};

export function withActions(first: string[]) {
  const [s1, s2] = GOOD_PROPOSAL.statements;
  return { ...GOOD_PROPOSAL, statements: [{ ...s1!, actions: first }, s2!] };
}

/** The text between `<tag>` and `</tag>` in a string, or undefined. */
export function between(text: string, tag: string): string | undefined {
  const start = text.indexOf(`<${tag}>`);
  const end = text.indexOf(`</${tag}>`);
  return start >= 0 && end > start ? text.slice(start + tag.length + 2, end) : undefined;
}
