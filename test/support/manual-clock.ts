import type { Clock } from '../../src/clock.js';

/** A clock tests move by hand. */
export class ManualClock implements Clock {
  private current: Date;

  constructor(start: string | Date = '2026-11-23T10:00:00Z') {
    this.current = new Date(start);
  }

  now(): Date {
    return new Date(this.current);
  }

  advanceMinutes(minutes: number): void {
    this.current = new Date(this.current.getTime() + minutes * 60_000);
  }
}
