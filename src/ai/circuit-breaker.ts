import type { Clock } from '../clock.js';

export interface CircuitBreakerOptions {
  clock: Clock;
  /** Consecutive failed calls that open the circuit. */
  failureThreshold?: number;
  /** How long an open circuit sends everything to the fallback before one trial call. */
  cooldownMs?: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

export const BREAKER_DEFAULTS = { failureThreshold: 3, cooldownMs: 60_000 } as const;

/**
 * Stops calling a model that keeps failing, so requesters get the offline drafter at once instead of
 * waiting out a timeout every time. After the cool-down one trial call decides: success closes the
 * circuit, failure opens it for another cool-down.
 *
 * Kept in memory on purpose, unlike request state (DESIGN §7): it is each replica's view of its own
 * path to Bedrock, and losing it on restart costs at most `failureThreshold` slow calls.
 */
export class CircuitBreaker {
  private readonly clock: Clock;
  private readonly failureThreshold: number;
  private readonly cooldownMs: number;
  private consecutiveFailures = 0;
  private openUntil: number | null = null;
  private trialInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    this.clock = options.clock;
    this.failureThreshold = options.failureThreshold ?? BREAKER_DEFAULTS.failureThreshold;
    this.cooldownMs = options.cooldownMs ?? BREAKER_DEFAULTS.cooldownMs;
  }

  state(): CircuitState {
    if (this.openUntil === null) return 'closed';
    return this.clock.now().getTime() < this.openUntil ? 'open' : 'half-open';
  }

  /**
   * Whether a call may go to the model now. In half-open only one caller gets true, and it must report
   * `success()` or `failure()`; the others use the fallback until then.
   */
  tryAcquire(): boolean {
    switch (this.state()) {
      case 'closed':
        return true;
      case 'open':
        return false;
      case 'half-open':
        if (this.trialInFlight) return false;
        this.trialInFlight = true;
        return true;
    }
  }

  success(): void {
    this.consecutiveFailures = 0;
    this.openUntil = null;
    this.trialInFlight = false;
  }

  failure(): void {
    const wasTrial = this.trialInFlight;
    this.trialInFlight = false;
    this.consecutiveFailures += 1;
    if (wasTrial || this.consecutiveFailures >= this.failureThreshold) {
      this.openUntil = this.clock.now().getTime() + this.cooldownMs;
    }
  }
}
