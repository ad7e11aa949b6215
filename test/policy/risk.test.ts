import { describe, expect, it } from 'vitest';
import type { Account } from '../../src/config/schemas.js';
import { assessRisk } from '../../src/policy/risk.js';
import { makeDraft } from '../support/builders.js';

const prod: Account = { id: '111111111111', name: 'payments-prod', environment: 'prod', region: 'eu-west-1' };
const dev: Account = { id: '222222222222', name: 'sandbox', environment: 'dev', region: 'us-east-1' };
const codes = (r: ReturnType<typeof assessRisk>) => r.factors?.map((f) => f.code);

describe('assessRisk', () => {
  it('read-only on named resources outside production is low, with a reason', () => {
    const risk = assessRisk(makeDraft({ durationMinutes: 60, broad: false, statements: [{ actions: ['s3:GetObject'], resources: ['arn:aws:s3:::b/*'] }] }), dev, ['Read']);
    expect(risk).toMatchObject({ level: 'low', factors: [] });
    expect(risk.reasons).toHaveLength(1);
  });

  it('writes are medium outside production and high in it', () => {
    expect(assessRisk(makeDraft({ durationMinutes: 60, broad: false }), dev, ['Write'])).toMatchObject({ level: 'medium' });
    const inProd = assessRisk(makeDraft({ durationMinutes: 60, broad: false }), prod, ['Write']);
    expect(inProd.level).toBe('high');
    expect(codes(inProd)).toEqual(['write-in-prod', 'production-account']);
  });

  it('permissions management is high, and critical in production', () => {
    expect(assessRisk(makeDraft({ durationMinutes: 60, broad: false }), dev, ['Permissions management']).level).toBe('high');
    const critical = assessRisk(makeDraft({ durationMinutes: 60, broad: false }), prod, ['Permissions management']);
    expect(critical.level).toBe('critical');
    expect(critical.factors?.[0]).toEqual({ code: 'permissions-management-in-prod', level: 'critical', reason: expect.stringContaining('payments-prod') });
  });

  it('SCP-denied writes are critical; SCP-denied reads only medium', () => {
    const draft = makeDraft({ durationMinutes: 60, broad: false });
    expect(assessRisk(draft, dev, ['Read'], { deniedPairs: 2, deniedWrites: [] })).toMatchObject({ level: 'medium' });
    const writes = assessRisk(draft, dev, ['Write'], { deniedPairs: 1, deniedWrites: ['s3:PutObject'] });
    expect(writes.level).toBe('critical');
    expect(codes(writes)).toContain('scp-denied-write');
    expect(writes.reasons.join(' ')).toContain('s3:PutObject');
  });

  it('the level is the highest factor, and every factor is kept', () => {
    const risk = assessRisk(makeDraft({ durationMinutes: 600, broad: true, statements: [{ actions: ['s3:GetObject'], resources: ['*'] }] }), dev, ['Read', 'Tagging']);
    expect(risk.level).toBe('medium');
    expect(codes(risk)).toEqual(['tagging', 'broad-draft', 'wildcard-resource', 'long-duration']);
  });
});
