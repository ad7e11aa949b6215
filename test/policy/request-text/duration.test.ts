import { describe, expect, it } from 'vitest';
import { describeMinutes, findDurations } from '../../../src/policy/request-text/duration.js';

const minutes = (text: string) => findDurations(text).mentions.map((m) => m.minutes);

describe('findDurations', () => {
  it.each([
    ['for 2 hours', 120],
    ['2h', 120],
    ['2 hrs', 120],
    ['30 minutes', 30],
    ['for 45 min', 45],
    ['90m', 90],
    ['1.5 hours', 90],
    ['1h30', 90],
    ['1 hour 30 minutes', 90],
    ['2 hours and 15 minutes', 135],
    ['an hour', 60],
    ['for a day', 1440],
    ['half an hour', 30],
    ['an hour and a half', 90],
    ['one and a half hours', 90],
    ['a quarter of an hour', 15],
    ['a 30-minute window', 30],
    ['three hours', 180],
  ])('reads "%s" as %i minutes', (text, expected) => {
    expect(minutes(text)).toEqual([expected]);
  });

  it('ignores numbers inside names and spans of time being looked at', () => {
    expect(minutes('the logs-2h bucket')).toEqual([]);
    expect(minutes('an m5.large instance')).toEqual([]);
    expect(minutes('read the last 30 minutes of logs')).toEqual([]);
    expect(minutes('it broke 2 hours ago')).toEqual([]);
    expect(minutes('bucket billing-reports')).toEqual([]);
  });

  it('keeps every mention, in order, so the caller can take the latest', () => {
    expect(minutes('2 hours, no wait, 3 hours')).toEqual([120, 180]);
  });

  it('notices times that depend on a clock', () => {
    expect(findDurations('until end of day').vague).toEqual(['until end of day']);
    expect(findDurations('till EOD please').vague).toEqual(['till EOD']);
    expect(findDurations('until end of day').mentions).toEqual([]);
  });
});

describe('describeMinutes', () => {
  it('says durations the way people do', () => {
    expect(describeMinutes(120)).toBe('2 hours');
    expect(describeMinutes(60)).toBe('1 hour');
    expect(describeMinutes(90)).toBe('90 minutes');
    expect(describeMinutes(1440)).toBe('1 day');
  });
});
