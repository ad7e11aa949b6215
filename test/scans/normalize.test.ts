import { describe, expect, it } from 'vitest';
import type { ParsedFinding } from '../../src/scans/finding.js';
import { findingKey, mergeFindings, normalize } from '../../src/scans/normalize/scan-finding.js';
import { wafrCatalog } from '../../src/scans/wafr/catalog.js';

function parsed(overrides: Partial<ParsedFinding>): ParsedFinding {
  return {
    tool: 'prowler',
    checkId: 'iam_root_mfa_enabled',
    title: 'Ensure MFA is enabled for the root account',
    severity: 'critical',
    status: 'fail',
    resource: 'arn:aws:iam::111111111111:root',
    region: 'us-east-1',
    account: '111111111111',
    service: 'iam',
    remediation: 'Enable MFA.',
    detail: 'Root has no MFA.',
    compliance: [],
    raw: { file: 'prowler.json', line: 10, record: 3 },
    ...overrides,
  };
}

describe('normalize and de-duplicate', () => {
  it('fills the scanned account and maps', () => {
    const { finding } = normalize(wafrCatalog, parsed({ account: '' }), { account: '222222222222' });
    expect(finding).toMatchObject({ account: '222222222222', tools: ['prowler'], practices: ['SEC01-BP02'], pillars: ['security'], mappedBy: 'prowler-compliance' });
  });

  it('gives the same key to the same issue on the same resource, across tools and regions', () => {
    const prowler = normalize(wafrCatalog, parsed({}), { account: '111111111111' }).finding;
    const cloudsploit = normalize(
      wafrCatalog,
      parsed({ tool: 'cloudsploit', checkId: 'rootMfaEnabled', severity: undefined, region: 'global', title: 'Root MFA Enabled', detail: 'An MFA device was not found' }),
      { account: '111111111111' },
    ).finding;
    expect(cloudsploit.key).toBe(prowler.key);
    // Different resource, or a plugin without a Prowler twin: different keys.
    expect(findingKey({ ...prowler, tool: 'prowler', resource: 'arn:aws:iam::111111111111:user/ana' })).not.toBe(prowler.key);
    expect(findingKey({ tool: 'cloudsploit', checkId: 'iamUserAdmins', account: '1', resource: 'x', region: 'a' })).not.toBe(
      findingKey({ tool: 'cloudsploit', checkId: 'iamUserAdmins', account: '1', resource: 'x', region: 'b' }),
    );

    const merged = mergeFindings(prowler, cloudsploit);
    expect(merged).toMatchObject({ tools: ['prowler', 'cloudsploit'], status: 'fail', severity: 'critical', practices: ['SEC01-BP02', 'SEC02-BP01'], checkId: 'iam_root_mfa_enabled' });
  });

  it('a failure from either tool wins, and the worse severity', () => {
    const a = normalize(wafrCatalog, parsed({ status: 'pass', severity: 'low' }), { account: '1' }).finding;
    const b = normalize(wafrCatalog, parsed({ status: 'fail', severity: 'high', detail: 'failing' }), { account: '1' }).finding;
    expect(mergeFindings(a, b)).toMatchObject({ status: 'fail', severity: 'high', detail: 'failing' });
    expect(mergeFindings(b, a)).toMatchObject({ status: 'fail', severity: 'high', detail: 'failing' });
  });
});
