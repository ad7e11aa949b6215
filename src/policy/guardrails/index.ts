/** Guardrails: the organization's limits on what chat can grant. */
export {
  applyGuardrails,
  namesEveryResource,
  type ActionFact,
  type GuardedAction,
  type GuardedStatement,
  type GuardrailInput,
  type GuardrailRefusal,
  type GuardrailResult,
  type InjectedCondition,
  type RefusalCode,
  type SoftCode,
  type SoftFinding,
} from './apply.js';
export { withInjectedConditions, type GrantPolicyDocument } from './inject.js';
export { GUARDRAILS_ENV, loadGuardrails, parseGuardrails } from './load.js';
export { GLOBAL_SERVICES, requestedRegion } from './regions.js';
export { defaultGuardrails, GuardrailsSchema, type Guardrails } from './schema.js';
