import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ParsedFinding } from '../../src/scans/finding.js';
import { parseCloudSploitJson } from '../../src/scans/parsers/cloudsploit.js';
import { parseCustodianFolder } from '../../src/scans/parsers/custodian.js';
import { parseProwlerCsv } from '../../src/scans/parsers/prowler-csv.js';
import { parseProwlerOcsf } from '../../src/scans/parsers/prowler-ocsf.js';
import { localFile, localFolder } from '../../src/scans/results/local-files.js';
import { buildCatalog } from '../../src/scans/wafr/build-catalog.js';
import { CATALOG_DATA } from '../../src/scans/wafr/catalog-data.js';
import { PILLARS, wafrCatalog } from '../../src/scans/wafr/catalog.js';
import { mapFinding } from '../../src/scans/wafr/mapper.js';
import { CLOUDSPLOIT_CATEGORIES, CLOUDSPLOIT_PLUGINS, CUSTODIAN_RULES, custodianRule, PROWLER_SUPPLEMENT } from '../../src/scans/wafr/mapping-table.js';
import { CLOUDSPLOIT_JSON, collect, CUSTODIAN_DIR, FIXTURES, PROWLER_CSV, PROWLER_OCSF } from './support.js';

const read = (name: string): unknown => JSON.parse(readFileSync(`${FIXTURES}/wafr/${name}`, 'utf8'));
const TOOL = read('trackit_wafr_questions_05072025.json');
const SECURITY = read('aws_well_architected_framework_security_pillar_aws.json') as { Requirements: { Id: string; Attributes: { WellArchitectedQuestionId: string }[]; Checks: string[] }[] };
const RELIABILITY = read('aws_well_architected_framework_reliability_pillar_aws.json') as typeof SECURITY;

describe('the Well-Architected catalog', () => {
  it('is what the fixtures build (regenerate catalog-data.ts if this fails)', () => {
    expect(buildCatalog(TOOL, [RELIABILITY, SECURITY])).toEqual(CATALOG_DATA);
  });

  it('has the six pillars, 57 questions, the Tool’s 307 best practices and every id Prowler’s files use', () => {
    expect(new Set(CATALOG_DATA.questions.map((q) => q.pillar))).toEqual(new Set(PILLARS.map((p) => p.id)));
    expect(CATALOG_DATA.questions).toHaveLength(57);
    expect(CATALOG_DATA.practices.filter((p) => p.origin.includes('wa-tool'))).toHaveLength(307);
    for (const req of [...SECURITY.Requirements, ...RELIABILITY.Requirements]) {
      const practice = wafrCatalog.practice(req.Id);
      expect(practice?.id, req.Id).toBe(req.Id);
      expect(practice!.origin).toContain('prowler');
      // Question ids are positional; Prowler's ids confirm the numbering wherever they give one.
      expect(practice!.question).toBe(req.Id.slice(0, req.Id.indexOf('-')));
      expect(wafrCatalog.question(practice!.question)!.toolId).toBe(req.Attributes[0]!.WellArchitectedQuestionId);
    }
    expect(wafrCatalog.practice('SEC03-BP02')).toMatchObject({ title: 'Grant least privilege access', risk: 'High' });
    expect(wafrCatalog.pillarOf('REL09-BP03')).toBe('reliability');
    expect(wafrCatalog.pillarOf('cost_decomissioning_resources_decommission')).toBe('costOptimization');
    // A practice is found by the Tool's choice id too.
    expect(wafrCatalog.practice('sec_permissions_least_privileges')?.id).toBe('SEC03-BP02');
  });

  it('links every Prowler check of the compliance files to its best practices', () => {
    expect(wafrCatalog.prowlerCheck('iam_root_mfa_enabled')).toContain('SEC01-BP02');
    expect(wafrCatalog.prowlerCheck('rds_instance_backup_enabled')).toContain('REL09-BP03');
    const checks = new Set([...SECURITY.Requirements, ...RELIABILITY.Requirements].flatMap((r) => r.Checks));
    expect(new Set(wafrCatalog.prowlerChecks())).toEqual(checks);
  });
});

describe('our mapping table', () => {
  it('uses only best-practice ids that exist in the catalog', () => {
    const ids = [
      ...Object.values(CLOUDSPLOIT_PLUGINS).flatMap((p) => p.practices),
      ...Object.values(CLOUDSPLOIT_CATEGORIES).flat(),
      ...CUSTODIAN_RULES.flatMap((r) => r.practices),
      ...Object.values(PROWLER_SUPPLEMENT).flat(),
    ];
    expect(ids.length).toBeGreaterThan(100);
    expect(ids.filter((id) => wafrCatalog.practice(id)?.id !== id)).toEqual([]);
  });

  it('names as twins only Prowler checks that exist, and supplements only checks Prowler leaves out', () => {
    const known = new Set(wafrCatalog.prowlerChecks());
    const twins = Object.values(CLOUDSPLOIT_PLUGINS).flatMap((p) => (p.sameAs ? [p.sameAs] : []));
    expect(twins.filter((t) => !known.has(t))).toEqual([]);
    expect(Object.keys(PROWLER_SUPPLEMENT).filter((c) => known.has(c))).toEqual([]);
  });

  it('maps Custodian policies by the words of their names', () => {
    expect(custodianRule('s3-unencrypted-buckets')?.practices).toEqual(['SEC08-BP02']);
    expect(custodianRule('ebs_unattached.volumes')?.practices).toContain('cost_decomissioning_resources_decommission');
    expect(custodianRule('ec2-running-instances')).toBeUndefined();
  });
});

async function fixtureFindings(): Promise<ParsedFinding[]> {
  const all: ParsedFinding[] = [];
  for (const run of [
    (i: Parameters<typeof parseProwlerOcsf>[1]) => parseProwlerOcsf(localFile(PROWLER_OCSF), i),
    (i: Parameters<typeof parseProwlerOcsf>[1]) => parseProwlerCsv(localFile(PROWLER_CSV), i),
    (i: Parameters<typeof parseProwlerOcsf>[1]) => parseCloudSploitJson(localFile(CLOUDSPLOIT_JSON), i),
    (i: Parameters<typeof parseProwlerOcsf>[1]) => parseCustodianFolder(localFolder(CUSTODIAN_DIR), i),
  ]) {
    all.push(...(await collect(run)).findings);
  }
  return all;
}

describe('mapping the fixtures', () => {
  it('produces only catalog ids, and the same answer every time', async () => {
    for (const finding of await fixtureFindings()) {
      const mapping = mapFinding(wafrCatalog, finding);
      for (const id of mapping.practices) expect(wafrCatalog.practice(id)?.id).toBe(id);
      expect(mapFinding(wafrCatalog, finding)).toEqual(mapping);
    }
  });

  it('maps the failing Prowler checks to the Security pillar', async () => {
    const prowler = (await fixtureFindings()).filter((f) => f.tool === 'prowler');
    const failing = prowler.filter((f) => f.status === 'fail');
    expect(new Set(failing.map((f) => f.checkId))).toEqual(new Set(['accessanalyzer_enabled', 'account_maintain_different_contact_details_to_security_billing_and_operations']));
    for (const f of failing) expect(mapFinding(wafrCatalog, f)).toMatchObject({ pillars: ['security'], via: 'table' });
    expect(mapFinding(wafrCatalog, failing[0]!).practices).toEqual(['SEC03-BP07']);
    // The MANUAL ones carry their own ids in the compliance data.
    const contact = prowler.find((f) => f.checkId === 'account_maintain_current_contact_details')!;
    expect(mapFinding(wafrCatalog, contact)).toMatchObject({ practices: ['SEC03-BP03', 'SEC10-BP01'], pillars: ['security'], via: 'finding', severity: 'medium' });
  });

  it('gives CloudSploit results our table’s best practices and severity', async () => {
    const cs = (await fixtureFindings()).filter((f) => f.tool === 'cloudsploit');
    expect(mapFinding(wafrCatalog, cs[0]!)).toMatchObject({ practices: ['SEC01-BP02', 'SEC02-BP01'], severity: 'critical', via: 'table' });
    expect(mapFinding(wafrCatalog, cs[2]!)).toMatchObject({ pillars: ['security', 'reliability'], severity: 'low' });
    expect(mapFinding(wafrCatalog, { ...cs[0]!, checkId: 'someNewPlugin' })).toMatchObject({ practices: ['SEC03-BP02'], via: 'category', severity: 'medium' });
  });

  it('keeps Custodian findings: the author’s mapping first, else the table, else unmapped and medium', async () => {
    const custodian = (await fixtureFindings()).find((f) => f.tool === 'custodian')!;
    expect(mapFinding(wafrCatalog, custodian)).toEqual({ practices: [], pillars: [], via: 'none', severity: 'medium', unknownIds: [] });
    expect(mapFinding(wafrCatalog, { ...custodian, checkId: 'ec2-unencrypted-volumes' })).toMatchObject({ practices: ['SEC08-BP02'], severity: 'high', via: 'table' });
    expect(mapFinding(wafrCatalog, { ...custodian, severity: 'low', authorMapping: { severity: 'low', bestPractices: ['REL10-BP01', 'SEC99-BP99'] } })).toEqual({
      practices: ['REL10-BP01'],
      pillars: ['reliability'],
      via: 'author',
      severity: 'low',
      unknownIds: ['SEC99-BP99'],
    });
  });
});
