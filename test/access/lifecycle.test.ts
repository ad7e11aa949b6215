import { describe, expect, it } from 'vitest';
import { assertTransition, canTransition, IllegalTransitionError, TERMINAL_STATES, TRANSITIONS } from '../../src/access/lifecycle.js';
import { REQUEST_STATES } from '../../src/access/types.js';

describe('request lifecycle', () => {
  it('walks the happy path and both endings of a grant', () => {
    const path = ['drafting', 'pending_approval', 'approved', 'granting', 'active', 'expired'] as const;
    for (let i = 1; i < path.length; i++) expect(canTransition(path[i - 1]!, path[i]!)).toBe(true);
    expect(canTransition('active', 'revoked')).toBe(true);
  });

  it('refuses shortcuts with a typed error naming the request and states', () => {
    expect(() => assertTransition('r-1', 'pending_approval', 'active')).toThrow(IllegalTransitionError);
    expect(() => assertTransition('r-1', 'denied', 'approved')).toThrow(/r-1 cannot go from denied to approved/);
    expect(canTransition('drafting', 'approved')).toBe(false);
    expect(canTransition('granting', 'revoked')).toBe(false);
  });

  it('has a row for every state, and the terminal states lead nowhere', () => {
    expect(Object.keys(TRANSITIONS).sort()).toEqual([...REQUEST_STATES].sort());
    expect([...TERMINAL_STATES].sort()).toEqual(['cancelled', 'denied', 'expired', 'failed', 'revoked']);
  });
});
