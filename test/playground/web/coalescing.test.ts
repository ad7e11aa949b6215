import { describe, expect, it } from 'vitest';
import { coalescing } from '../../../src/playground/web/coalescing.js';

describe('coalescing refresh of a playground tab', () => {
  it('turns calls made during a load into exactly one more load, and starts afresh after', async () => {
    const gates: Array<() => void> = [];
    let loads = 0;
    const refresh = coalescing(async () => {
      loads++;
      await new Promise<void>((resolve) => gates.push(resolve));
    });
    const first = refresh();
    const second = refresh();
    const third = refresh();
    expect(second).toBe(first);
    expect(third).toBe(first);
    gates.shift()!();
    await new Promise((r) => setTimeout(r, 0));
    expect(loads).toBe(2);
    gates.shift()!();
    await first;
    expect(loads).toBe(2);
    const later = refresh();
    expect(later).not.toBe(first);
    gates.shift()!();
    await later;
    expect(loads).toBe(3);
  });

  it('a failed load does not leave the tab stuck', async () => {
    let fail = true;
    const refresh = coalescing(async () => {
      if (fail) throw new Error('network');
    });
    await expect(refresh()).rejects.toThrow('network');
    fail = false;
    await expect(refresh()).resolves.toBeUndefined();
  });
});
