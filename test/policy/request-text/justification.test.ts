import { describe, expect, it } from 'vitest';
import { findDurations } from '../../../src/policy/request-text/duration.js';
import { findJustification } from '../../../src/policy/request-text/justification.js';
import { tokenize } from '../../../src/policy/request-text/tokens.js';

const reason = (text: string) => findJustification(text, tokenize(text), findDurations(text).mentions)?.text;

describe('findJustification', () => {
  it.each([
    ['I need read access to the billing-reports bucket for 2 hours to debug the export', 'debug the export'],
    ['read the orders table because a customer reports a missing order', 'a customer reports a missing order'],
    ['read-only on orders, for debugging the checkout', 'for debugging the checkout'],
    ['read the bucket so that I can compare the reports. 2 hours please', 'I can compare the reports'],
    ['to debug the export, I need read access to billing-reports', 'debug the export, I need read access to billing-reports'],
    ['read the bucket to debug the export for 2 hours', 'debug the export'],
  ])('finds the reason in "%s"', (text, expected) => {
    expect(reason(text)).toBe(expected);
  });

  it('does not take the target of "access to" for a reason', () => {
    expect(reason('I need write access to orders')).toBeUndefined();
    expect(reason('I need to read the billing-reports bucket')).toBeUndefined();
  });

  it('marks the reason’s tokens so the request is read without it', () => {
    const text = 'read billing-reports to debug why the lambda fails';
    const span = findJustification(text, tokenize(text))!;
    expect(tokenize(text).slice(span.from, span.to)[0]?.text).toBe('to');
    expect(span.to).toBe(tokenize(text).length);
  });
});
