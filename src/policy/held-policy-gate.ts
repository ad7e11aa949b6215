import type { PolicyGate, PolicyGateResult } from '../access/checks.js';
import type { IamCatalog } from './catalog.js';
import type { Guardrails } from './guardrails/index.js';
import type { PolicyConfigHolder } from './policy-config-holder.js';
import { RequestPolicyGate } from './request-policy-gate.js';
import type { ScpSource } from './scp/index.js';

/**
 * The request gate over whatever guardrails are in force: an admin's `/warden guardrails set` applies
 * to the very next request, on every replica, without a restart.
 */
export class HeldPolicyGate implements PolicyGate {
  private gate: { guardrails: Guardrails; gate: RequestPolicyGate } | undefined;

  constructor(private readonly options: { holder: PolicyConfigHolder; catalog: IamCatalog; scps?: ScpSource | undefined }) {}

  async review(input: Parameters<PolicyGate['review']>[0]): Promise<PolicyGateResult> {
    const { guardrails } = this.options.holder.current();
    // One gate per guardrails version: building it is cheap, but there is no reason to on every request.
    if (this.gate?.guardrails !== guardrails) {
      const { catalog, scps } = this.options;
      this.gate = { guardrails, gate: new RequestPolicyGate({ catalog, guardrails, ...(scps ? { scps } : {}) }) };
    }
    return this.gate.gate.review(input);
  }
}
