import type { PolicyGate, PolicyGateResult } from '../../access/checks.js';
import type { User } from '../../config/schemas.js';
import type { RequesterMatch } from './requesters.js';

/** Longest duration any rule may allow; the inner gate, when there is one, sets the real bound. */
const NO_LIMIT_MINUTES = 7 * 24 * 60;

/**
 * Refuses, before any approver is asked, a request for an account granted through Identity Center
 * from someone Warden cannot match to an Identity Center user: the requester is told why at
 * submit, and no grant is ever attempted for them. Other accounts pass through untouched.
 */
export class IdentityCenterRequesterGate implements PolicyGate {
  constructor(
    private readonly inner: PolicyGate | undefined,
    private readonly requesters: { match(user: User): RequesterMatch },
  ) {}

  async review(input: Parameters<PolicyGate['review']>[0]): Promise<PolicyGateResult> {
    const result: PolicyGateResult = this.inner
      ? await this.inner.review(input)
      : { blockers: [], review: { verdicts: [], findings: [], conditions: [] }, maxDurationMinutes: NO_LIMIT_MINUTES, needsSecondApprover: false, needsStrongerJustification: false };
    if (input.account.grant?.via !== 'identity-center') return result;
    const found = this.requesters.match(input.requester);
    if (found.ok) return result;
    return {
      ...result,
      blockers: [
        ...result.blockers,
        {
          code: 'no-identity-center-user',
          message: `Access to ${input.account.name} is granted through IAM Identity Center, and Warden cannot find your Identity Center user: ${found.reason}.`,
        },
      ],
    };
  }
}
