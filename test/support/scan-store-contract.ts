import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedFinding } from '../../src/scans/finding.js';
import { normalize, type ScanFinding } from '../../src/scans/normalize/scan-finding.js';
import type { Scan } from '../../src/scans/scan.js';
import type { ScanStore } from '../../src/scans/store.js';
import { summarizeScan } from '../../src/scans/summarize.js';
import { wafrCatalog } from '../../src/scans/wafr/catalog.js';

/*
 * The ScanStore port's behaviour, run against every adapter (SQLite, DynamoDB Local): what a test
 * here asserts, the workflow may rely on whichever database holds the scans.
 */

export function scanStoreContract(name: string, open: () => Promise<ScanStore>, close: (store: ScanStore) => Promise<void>): void {
  describe(`ScanStore contract: ${name}`, () => {
    let scans: ScanStore;
    beforeEach(async () => {
      scans = await open();
    });
    afterEach(async () => {
      await close(scans);
    });

    async function finish(s: Scan): Promise<Scan> {
      const done = { ...s, state: 'succeeded' as const, version: s.version + 1, finishedAt: s.finishedAt ?? '2026-11-23T11:00:00.000Z' };
      expect(await scans.saveScan(done, s.version)).toBe(true);
      return done;
    }

    it('allows one active scan per account and hands back the running one', async () => {
      expect(await scans.createScan(scan('s-1'))).toEqual({ created: true });
      const second = await scans.createScan(scan('s-2'));
      expect(second).toMatchObject({ created: false, active: { id: 's-1' } });
      // Another account is independent.
      expect(await scans.createScan(scan('s-3', { accountId: '222222222222' }))).toEqual({ created: true });
      expect((await scans.activeScans()).map((s) => s.id)).toEqual(['s-1', 's-3']);
      // Once finished, the account can be scanned again.
      await finish((await scans.getScan('s-1'))!);
      expect(await scans.createScan(scan('s-2'))).toEqual({ created: true });
    });

    it('writes scans compare-and-set on the version', async () => {
      const s = scan('s-1');
      await scans.createScan(s);
      const a = { ...s, version: 2, state: 'ingesting' as const };
      expect(await scans.saveScan(a, 1)).toBe(true);
      expect(await scans.saveScan({ ...s, version: 2, state: 'failed' as const }, 1)).toBe(false);
      expect((await scans.getScan('s-1'))!.state).toBe('ingesting');
      await expect(scans.saveScan({ ...a, version: 5 }, 2)).rejects.toThrow(/expectedVersion \+ 1/);
    });

    it('merges duplicate findings, counts them, and computes the delta against the previous scan', async () => {
      const first = scan('s-1', { createdAt: '2026-11-20T10:00:00.000Z' });
      await scans.createScan(first);
      await scans.addFindings('s-1', [
        finding('iam_root_mfa_enabled', 'arn:aws:iam::111111111111:root'),
        finding('s3_bucket_default_encryption', 'arn:aws:s3:::a'),
        finding('s3_bucket_default_encryption', 'arn:aws:s3:::b'),
        finding('s3_bucket_default_encryption', 'arn:aws:s3:::c', { status: 'pass' }),
      ]);
      await finish({ ...first, finishedAt: '2026-11-20T11:00:00.000Z' });

      const second = scan('s-2');
      await scans.createScan(second);
      await scans.addFindings('s-2', [
        finding('iam_root_mfa_enabled', 'arn:aws:iam::111111111111:root', { severity: 'critical' }),
        // The same issue from CloudSploit on the same resource merges into one finding.
        finding('rootMfaEnabled', 'arn:aws:iam::111111111111:root', { tool: 'cloudsploit', severity: undefined, region: 'global' }),
        finding('s3_bucket_default_encryption', 'arn:aws:s3:::a', { status: 'pass' }),
        finding('s3_bucket_default_encryption', 'arn:aws:s3:::b'),
        finding('ec2_instance_imdsv2_enabled', 'arn:aws:ec2:eu-west-1:111111111111:instance/i-1', { severity: 'medium' }),
        finding('something_unmapped', 'x', { severity: 'low' }),
      ]);
      await scans.addFindings('s-2', [finding('s3_bucket_default_encryption', 'arn:aws:s3:::b', { severity: 'low' })]);

      const summary = await summarizeScan({ scans, catalog: wafrCatalog }, { ...second, version: 1 }, ['prowler', 'cloudsploit'], { total: 0, examples: [] });
      expect(summary.findings).toBe(5);
      expect(summary.byStatus).toEqual({ fail: 4, pass: 1, manual: 0, unknown: 0 });
      expect(summary.bySeverity.critical).toEqual({ fail: 1, pass: 0 });
      expect(summary.bySeverity.high).toEqual({ fail: 1, pass: 1 });
      expect(summary.unmappedFailing).toBe(1);
      expect(summary.pillars.find((p) => p.pillar === 'security')).toEqual({ pillar: 'security', pass: 1, fail: 3 });
      expect(summary.pillars.find((p) => p.pillar === 'costOptimization')).toEqual({ pillar: 'costOptimization', pass: 0, fail: 0 });
      expect(summary.topPractices[0]).toEqual({ id: 'SEC01-BP02', failing: 1 });
      // new: imdsv2 + unmapped; resolved: bucket a; still failing: root MFA + bucket b.
      expect(summary.delta).toEqual({ previousScanId: 's-1', previousAt: '2026-11-20T11:00:00.000Z', new: 2, resolved: 1, stillFailing: 2 });
      // A tool that did not run again resolves nothing.
      expect(await scans.delta('s-2', 's-1', ['custodian'])).toEqual({ new: 2, resolved: 0, stillFailing: 2 });

      const merged = await scans.failingUnder('s-2', 'SEC01-BP02', 10);
      expect(merged).toHaveLength(1);
      expect(merged[0]).toMatchObject({ tools: ['prowler', 'cloudsploit'], severity: 'critical', practices: ['SEC01-BP02', 'SEC02-BP01'] });
    });

    it('pages the failing findings by best practice, unmapped last', async () => {
      await scans.createScan(scan('s-1'));
      await scans.addFindings('s-1', [
        ...['a', 'b', 'c'].map((b) => finding('s3_bucket_default_encryption', `arn:aws:s3:::${b}`)),
        finding('iam_root_mfa_enabled', 'arn:aws:iam::111111111111:root', { severity: 'critical' }),
        finding('something_unmapped', 'x'),
      ]);
      const page0 = await scans.failingByPractice('s-1', { page: 0, practicesPerPage: 2, findingsPerPractice: 2 });
      expect(page0.groups.map((g) => [g.practiceId, g.total, g.findings.length])).toEqual([
        ['SEC08-BP03', 3, 2],
        ['SEC01-BP02', 1, 1],
      ]);
      expect(page0.hasMore).toBe(true);
      const page1 = await scans.failingByPractice('s-1', { page: 1, practicesPerPage: 2, findingsPerPractice: 2 });
      expect(page1.groups.map((g) => g.practiceId)).toEqual([null]);
      expect(page1.hasMore).toBe(false);
    });

    it('prunes old finished scans but keeps each account’s newest successful one', async () => {
      await scans.createScan(scan('s-old'));
      await finish({ ...(await scans.getScan('s-old'))!, finishedAt: '2026-01-01T00:00:00.000Z' });
      await scans.createScan(scan('s-new'));
      await scans.addFindings('s-new', [finding('iam_root_mfa_enabled', 'r')]);
      await finish({ ...(await scans.getScan('s-new'))!, finishedAt: '2026-02-01T00:00:00.000Z' });
      expect(await scans.pruneFinished('2026-06-01T00:00:00.000Z')).toBe(1);
      expect(await scans.getScan('s-old')).toBeUndefined();
      expect(await scans.getScan('s-new')).toBeDefined();
      expect((await scans.recentScans(5)).map((s) => s.id)).toEqual(['s-new']);
    });

    it('stores many findings, merging duplicates across and within batches', async () => {
      await scans.createScan(scan('s-1'));
      const buckets = Array.from({ length: 130 }, (_, i) => `arn:aws:s3:::bucket-${String(i).padStart(3, '0')}`);
      // 260 findings in one call: every bucket twice, the second time more severe.
      await scans.addFindings('s-1', [
        ...buckets.map((b) => finding('s3_bucket_default_encryption', b, { severity: 'low' })),
        ...buckets.map((b) => finding('s3_bucket_default_encryption', b, { severity: 'critical' })),
      ]);
      // And once more in a later call.
      await scans.addFindings('s-1', buckets.slice(0, 30).map((b) => finding('s3_bucket_default_encryption', b, { severity: 'medium' })));
      const counts = await scans.countFindings('s-1', 3, (id) => wafrCatalog.pillarOf(id));
      expect(counts.findings).toBe(130);
      expect(counts.byStatus.fail).toBe(130);
      expect(counts.bySeverity.critical).toEqual({ fail: 130, pass: 0 });
      expect(counts.topPractices).toEqual([{ id: 'SEC08-BP03', failing: 130 }]);
      const under = await scans.failingUnder('s-1', 'SEC08-BP03', 3);
      expect(under.map((f) => f.resource)).toEqual(buckets.slice(0, 3));
    });

    it('lists the most severe failing findings first on a details page', async () => {
      await scans.createScan(scan('s-1'));
      await scans.addFindings('s-1', [
        finding('s3_bucket_default_encryption', 'arn:aws:s3:::a', { severity: 'low' }),
        finding('s3_bucket_default_encryption', 'arn:aws:s3:::b', { severity: 'critical' }),
        finding('s3_bucket_default_encryption', 'arn:aws:s3:::c', { severity: 'medium' }),
        finding('s3_bucket_default_encryption', 'arn:aws:s3:::d', { status: 'pass' }),
      ]);
      const page = await scans.failingByPractice('s-1', { page: 0, practicesPerPage: 5, findingsPerPractice: 2 });
      expect(page.groups).toHaveLength(1);
      expect(page.groups[0]!.total).toBe(3);
      expect(page.groups[0]!.findings.map((f) => f.resource)).toEqual(['arn:aws:s3:::b', 'arn:aws:s3:::c']);
    });

    it('lets exactly one of several parallel scans of an account start', async () => {
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => scans.createScan(scan(`p-${i}`))));
      const created = results.flatMap((r, i) => (r.created ? [`p-${i}`] : []));
      expect(created).toHaveLength(1);
      for (const r of results) if (!r.created) expect(r.active.id).toBe(created[0]);
      expect((await scans.activeScans()).map((s) => s.id)).toEqual(created);
    });

    it('deletes a pruned scan’s findings with it', async () => {
      await scans.createScan(scan('s-old'));
      await scans.addFindings('s-old', [finding('iam_root_mfa_enabled', 'r'), finding('s3_bucket_default_encryption', 'b')]);
      await finish({ ...(await scans.getScan('s-old'))!, finishedAt: '2026-01-01T00:00:00.000Z' });
      await scans.createScan(scan('s-failed'));
      const failed = (await scans.getScan('s-failed'))!;
      expect(await scans.saveScan({ ...failed, state: 'failed', version: 2, finishedAt: '2026-01-02T00:00:00.000Z' }, 1)).toBe(true);
      await scans.createScan(scan('s-new'));
      await finish({ ...(await scans.getScan('s-new'))!, finishedAt: '2026-02-01T00:00:00.000Z' });
      expect(await scans.pruneFinished('2026-06-01T00:00:00.000Z')).toBe(2);
      expect((await scans.countFindings('s-old', 3, () => undefined)).findings).toBe(0);
      expect(await scans.latestSucceeded('111111111111')).toMatchObject({ id: 's-new' });
      expect(await scans.latestSucceeded('111111111111', 's-new')).toBeUndefined();
    });

    it('flags the top best practices whose every failing finding the AI classifier mapped', async () => {
      await scans.createScan(scan('s-ai'));
      const byAi = (f: ScanFinding): ScanFinding => ({ ...f, practices: ['REL09-BP03'], pillars: ['reliability'], mappedBy: 'ai' });
      await scans.addFindings('s-ai', [
        byAi(finding('custom_check_a', 'arn:aws:s3:::a')),
        byAi(finding('custom_check_b', 'arn:aws:s3:::b')),
        // Root MFA: mapped deterministically (SEC01-BP02), once more by AI under the same practice.
        finding('iam_root_mfa_enabled', 'arn:aws:iam::111111111111:root'),
        { ...finding('custom_check_c', 'arn:aws:s3:::c'), practices: ['SEC01-BP02'], pillars: ['security'], mappedBy: 'ai' },
      ]);
      const counts = await scans.countFindings('s-ai', 5, (id) => wafrCatalog.pillarOf(id));
      expect(counts.topPractices).toEqual([
        { id: 'REL09-BP03', failing: 2, ai: true },
        { id: 'SEC01-BP02', failing: 2 },
      ]);
      // The mapping source reads back with each finding.
      const page = await scans.failingByPractice('s-ai', { page: 0, practicesPerPage: 5, findingsPerPractice: 5 });
      expect(page.groups.find((g) => g.practiceId === 'REL09-BP03')?.findings.map((f) => f.mappedBy)).toEqual(['ai', 'ai']);
    });

    it('keeps AI classifications by version, tool and check, "no practice fits" included', async () => {
      const rootMfa = { tool: 'prowler', checkId: 'iam_root_mfa_enabled' } as const;
      const at = '2026-11-23T10:00:00.000Z';
      expect(await scans.getClassification('v1', rootMfa)).toBeUndefined();
      await scans.saveClassification('v1', rootMfa, ['SEC01-BP02', 'SEC02-BP01'], at);
      await scans.saveClassification('v1', { tool: 'custodian', checkId: 'no-fit' }, [], at);
      expect(await scans.getClassification('v1', rootMfa)).toEqual(['SEC01-BP02', 'SEC02-BP01']);
      expect(await scans.getClassification('v1', { tool: 'custodian', checkId: 'no-fit' })).toEqual([]);
      // Another catalog version, or another tool's check of the same name, is another key.
      expect(await scans.getClassification('v2', rootMfa)).toBeUndefined();
      expect(await scans.getClassification('v1', { tool: 'cloudsploit', checkId: 'iam_root_mfa_enabled' })).toBeUndefined();
      // A check id with the separator characters stays one key.
      await scans.saveClassification('v1', { tool: 'custodian', checkId: 'a:b#c|d' }, ['REL09-BP03'], at);
      expect(await scans.getClassification('v1', { tool: 'custodian', checkId: 'a:b#c|d' })).toEqual(['REL09-BP03']);
      expect(await scans.getClassification('v1', { tool: 'custodian', checkId: 'a:b' })).toBeUndefined();
      // A later answer replaces the earlier one, and pruning scans keeps them.
      await scans.saveClassification('v1', rootMfa, ['SEC01-BP01'], '2026-11-24T10:00:00.000Z');
      await scans.pruneFinished('2030-01-01T00:00:00.000Z');
      expect(await scans.getClassification('v1', rootMfa)).toEqual(['SEC01-BP01']);
    });
  });
}

export function scan(id: string, overrides: Partial<Scan> = {}): Scan {
  return {
    id,
    accountId: '111111111111',
    accountName: 'payments-prod',
    source: 'stepfunctions',
    state: 'running',
    version: 1,
    tools: ['prowler', 'cloudsploit'],
    regions: [],
    toolStates: {},
    requestedBy: 'dave',
    channel: 'C1',
    message: null,
    executionArn: null,
    resultsLocation: null,
    createdAt: '2026-11-23T10:00:00.000Z',
    updatedAt: '2026-11-23T10:00:00.000Z',
    finishedAt: null,
    error: null,
    summary: null,
    ...overrides,
  };
}

export function finding(checkId: string, resource: string, overrides: Partial<ParsedFinding> = {}): ScanFinding {
  const parsed: ParsedFinding = {
    tool: 'prowler',
    checkId,
    title: checkId,
    status: 'fail',
    severity: 'high',
    resource,
    region: 'eu-west-1',
    account: '111111111111',
    service: checkId.split('_')[0]!,
    remediation: '',
    detail: '',
    compliance: [],
    raw: { file: 'f.json', line: 1 },
    ...overrides,
  };
  return normalize(wafrCatalog, parsed, { account: '111111111111' }).finding;
}
