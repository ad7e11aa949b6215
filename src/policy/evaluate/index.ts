/** Warden's IAM evaluator: identity policy + SCPs along the OU path + permissions boundary. Pure, no I/O. */
export { deriveAllowedIf, type AllowedIf, type ContextRequirement } from './allowed-if.js';
export {
  createRequestContext,
  iamTime,
  principalContext,
  type ContextValue,
  type PrincipalFacts,
  type RequestContext,
} from './context.js';
export {
  evaluateAccess,
  type AccessQuery,
  type Decision,
  type EvaluationPolicies,
  type MissingAllow,
  type PolicyKind,
  type ScpLevel,
  type ScpTarget,
  type StatementRef,
  type Verdict,
} from './evaluator.js';
export {
  compilePolicy,
  parseAndCompilePolicy,
  PolicyCompileError,
  PolicyDocumentSchema,
  statementsOf,
  listOf,
  tryCompilePolicy,
  POLICY_VERSION,
  type CompiledPolicy,
  type CompileResult,
  type ConditionBlock,
  type PolicyDocument,
  type PolicyStatement,
  type PolicyValue,
} from './policy.js';
export { parseOperator, type ParsedOperator } from './operators.js';
