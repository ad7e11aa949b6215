import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../src/ai/circuit-breaker.js';
import { ManualClock } from '../support/manual-clock.js';

describe('CircuitBreaker', () => {
  it('opens after N consecutive failures and lets one trial through after the cool-down', () => {
    const clock = new ManualClock();
    const breaker = new CircuitBreaker({ clock, failureThreshold: 3, cooldownMs: 5 * 60_000 });
    for (let i = 0; i < 2; i += 1) {
      expect(breaker.tryAcquire()).toBe(true);
      breaker.failure();
    }
    expect(breaker.state()).toBe('closed');
    breaker.tryAcquire();
    breaker.failure();
    expect(breaker.state()).toBe('open');
    expect(breaker.tryAcquire()).toBe(false);

    clock.advanceMinutes(5);
    expect(breaker.state()).toBe('half-open');
    expect(breaker.tryAcquire()).toBe(true);
    // Only one trial at a time.
    expect(breaker.tryAcquire()).toBe(false);
    breaker.failure();
    // A failed trial opens it again at once, for a full cool-down.
    expect(breaker.state()).toBe('open');
    clock.advanceMinutes(4);
    expect(breaker.tryAcquire()).toBe(false);
    clock.advanceMinutes(1);
    expect(breaker.tryAcquire()).toBe(true);
    breaker.success();
    expect(breaker.state()).toBe('closed');
    expect(breaker.tryAcquire()).toBe(true);
  });

  it('a success resets the count of consecutive failures', () => {
    const breaker = new CircuitBreaker({ clock: new ManualClock(), failureThreshold: 2 });
    breaker.failure();
    breaker.success();
    breaker.failure();
    expect(breaker.state()).toBe('closed');
    breaker.failure();
    expect(breaker.state()).toBe('open');
  });
});
