import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCloudSploitCsv, parseCloudSploitJson } from '../../src/scans/parsers/cloudsploit.js';
import { parseCustodianFolder } from '../../src/scans/parsers/custodian.js';
import { describeIssue } from '../../src/scans/parsers/issues.js';
import { parseProwlerAsff } from '../../src/scans/parsers/prowler-asff.js';
import { parseProwlerCsv, wellArchitectedFromCsv } from '../../src/scans/parsers/prowler-csv.js';
import { parseProwlerOcsf } from '../../src/scans/parsers/prowler-ocsf.js';
import { localFile, localFolder } from '../../src/scans/results/local-files.js';
import { CLOUDSPLOIT_CSV, CLOUDSPLOIT_JSON, collect, CUSTODIAN_DIR, PROWLER_CSV, PROWLER_OCSF, tempDir } from './support.js';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.dispose());

const CHECKS = [
  'accessanalyzer_enabled',
  'account_maintain_current_contact_details',
  'account_maintain_different_contact_details_to_security_billing_and_operations',
  'account_security_contact_information_is_registered',
  'account_security_questions_are_registered_in_the_aws_account',
];

describe('Prowler OCSF', () => {
  it('reads the real example: 5 findings with their fields', async () => {
    const { findings, issues } = await collect((i) => parseProwlerOcsf(localFile(PROWLER_OCSF, 'prowler.ocsf.json'), i));
    expect(issues.total).toBe(0);
    expect(findings.map((f) => f.checkId)).toEqual(CHECKS);
    expect(findings.map((f) => f.status)).toEqual(['fail', 'manual', 'fail', 'manual', 'manual']);
    expect(findings[0]).toEqual({
      tool: 'prowler',
      checkId: 'accessanalyzer_enabled',
      title: 'Check if IAM Access Analyzer is enabled',
      severity: 'low',
      status: 'fail',
      resource: '<resource_uid>',
      // The example's placeholders are not regions or account ids.
      region: 'global',
      account: '',
      service: 'accessanalyzer',
      remediation: expect.stringMatching(/^Enable IAM Access Analyzer for all accounts/),
      detail: 'IAM Access Analyzer in account <account_uid> is not enabled.',
      compliance: [],
      raw: { file: 'prowler.ocsf.json', line: 2, record: 0 },
    });
    expect(findings[1]).toMatchObject({ severity: 'medium', resource: 'arn:aws:iam::<account_uid>:root', service: 'account', compliance: ['SEC03-BP03', 'SEC10-BP01'] });
  });

  it('a truncated copy gives the complete findings and an error naming the file and line', async () => {
    const text = readFileSync(PROWLER_OCSF, 'utf8');
    const path = tmp.write('cut.ocsf.json', text.slice(0, Math.floor(text.length * 0.7)));
    const { findings, issues } = await collect((i) => parseProwlerOcsf(localFile(path, 'cut.ocsf.json'), i));
    expect(findings.map((f) => f.checkId)).toEqual(CHECKS.slice(0, 3));
    expect(issues.total).toBe(1);
    expect(describeIssue(issues.kept[0]!)).toMatch(/^cut\.ocsf\.json:\d+:3 \(record 4\): the file ends inside this record .*truncated/);
  });

  it('a corrupted copy keeps every valid finding around the damage', async () => {
    const text = readFileSync(PROWLER_OCSF, 'utf8')
      .replace('"status_code": "FAIL"', '"status_code": FAIL') // broken JSON in record 1 (0-based 0)
      .replace('"event_code": "account_security_contact_information_is_registered"', '"event_code": 42'); // wrong shape in record 4
    const path = tmp.write('bad.ocsf.json', text);
    const { findings, issues } = await collect((i) => parseProwlerOcsf(localFile(path, 'bad.ocsf.json'), i));
    expect(findings.map((f) => f.checkId)).toEqual([CHECKS[1], CHECKS[2], CHECKS[4]]);
    expect(issues.kept.map(describeIssue)).toEqual([
      expect.stringMatching(/^bad\.ocsf\.json:\d+:\d+ \(record 1\): invalid JSON/),
      // After damage, record numbers are no longer certain, so only the line is given.
      expect.stringMatching(/^bad\.ocsf\.json:\d+:3: not a Prowler OCSF finding: metadata\.event_code/),
    ]);
  });
});

describe('Prowler CSV', () => {
  it('reads the real example: four of the same checks, with the COMPLIANCE column', async () => {
    const { findings, issues } = await collect((i) => parseProwlerCsv(localFile(PROWLER_CSV, 'prowler.csv'), i));
    expect(issues.total).toBe(0);
    expect(findings.map((f) => f.checkId)).toEqual(CHECKS.slice(0, 4));
    expect(findings[1]).toMatchObject({ status: 'manual', severity: 'medium', service: 'account', compliance: ['SEC03-BP03', 'SEC10-BP01'], raw: { file: 'prowler.csv', line: 3, record: 1 } });
    expect(findings[0]).toMatchObject({ status: 'fail', severity: 'low', compliance: [] });
  });

  it('parses the COMPLIANCE column', () => {
    expect(wellArchitectedFromCsv('CIS-1.4: 1.1 | AWS-Well-Architected-Framework-Security-Pillar: SEC03-BP03, SEC10-BP01 | ENS-RD2022: op.ext.7.aws.am.1')).toEqual(['SEC03-BP03', 'SEC10-BP01']);
    expect(wellArchitectedFromCsv('')).toEqual([]);
  });

  it('a truncated copy loses only the cut row, and says on which line', async () => {
    const lines = readFileSync(PROWLER_CSV, 'utf8').split('\n');
    const cut = [...lines.slice(0, 4), lines[4]!.slice(0, 200)].join('\n');
    const path = tmp.write('cut.csv', cut);
    const { findings, issues } = await collect((i) => parseProwlerCsv(localFile(path, 'cut.csv'), i));
    expect(findings.map((f) => f.checkId)).toEqual(CHECKS.slice(0, 3));
    expect(issues.total).toBe(1);
    expect(describeIssue(issues.kept[0]!)).toMatch(/^cut\.csv:5:1: /);
  });

  it('a damaged row in the middle is skipped and the rows after it are read', async () => {
    const lines = readFileSync(PROWLER_CSV, 'utf8').split('\n');
    lines[2] = 'garbage;with;too;few;columns';
    const path = tmp.write('bad.csv', lines.join('\n'));
    const { findings, issues } = await collect((i) => parseProwlerCsv(localFile(path, 'bad.csv'), i));
    expect(findings.map((f) => f.checkId)).toEqual([CHECKS[0], CHECKS[2], CHECKS[3]]);
    expect(describeIssue(issues.kept[0]!)).toMatch(/^bad\.csv:3:1: a row that does not parse/);
  });
});

describe('Prowler ASFF', () => {
  it('reads findings in the AWS Security Finding Format (shape from Prowler’s documentation)', async () => {
    const asff = [
      {
        SchemaVersion: '2018-10-08',
        Id: 'prowler-rds_instance_minor_version_upgrade_enabled-111122223333-eu-west-1-b1ade474a',
        GeneratorId: 'prowler-rds_instance_minor_version_upgrade_enabled',
        AwsAccountId: '111122223333',
        Severity: { Label: 'LOW' },
        Title: 'Ensure RDS instances have minor version upgrade enabled.',
        Resources: [{ Type: 'AwsRdsDbInstance', Id: 'arn:aws:rds:eu-west-1:111122223333:db:orders', Region: 'eu-west-1' }],
        Compliance: { Status: 'FAILED', RelatedRequirements: ['CIS-1.5 2.3.2', 'AWS-Well-Architected-Framework-Security-Pillar SEC06-BP01'] },
        Remediation: { Recommendation: { Text: 'Enable auto minor version upgrade.' } },
      },
    ];
    const path = tmp.write('out.asff.json', JSON.stringify(asff, null, 2));
    const { findings, issues } = await collect((i) => parseProwlerAsff(localFile(path, 'out.asff.json'), i));
    expect(issues.total).toBe(0);
    expect(findings).toEqual([
      expect.objectContaining({
        checkId: 'rds_instance_minor_version_upgrade_enabled',
        severity: 'low',
        status: 'fail',
        account: '111122223333',
        region: 'eu-west-1',
        service: 'rds',
        compliance: ['SEC06-BP01'],
      }),
    ]);
  });
});

describe('CloudSploit', () => {
  it('reads the JSON output: statuses, resources and regions', async () => {
    const { findings, issues } = await collect((i) => parseCloudSploitJson(localFile(CLOUDSPLOIT_JSON, 'cs.json'), i));
    expect(issues.total).toBe(0);
    expect(findings.map((f) => [f.checkId, f.status, f.resource, f.region])).toEqual([
      ['rootMfaEnabled', 'fail', 'arn:aws:iam::111122223333:root', 'global'],
      ['bucketVersioning', 'pass', 'arn:aws:s3:::elasticbeanstalk-us-east-1-111122223333', 'us-east-1'],
      ['bucketVersioning', 'fail', 'arn:aws:s3:::test-bucket-130', 'us-east-1'],
      ['passwordPolicyExists', 'pass', '', 'global'],
    ]);
    expect(findings[0]).toMatchObject({ tool: 'cloudsploit', account: '111122223333', service: 'iam', detail: 'An MFA device was not found for the root account' });
    // No severity in CloudSploit's output: the mapper gives one.
    expect(findings[0]!.severity).toBeUndefined();
  });

  it('the CSV output gives the same findings, plugins found by title', async () => {
    const json = await collect((i) => parseCloudSploitJson(localFile(CLOUDSPLOIT_JSON, 'cs'), i));
    const csv = await collect((i) => parseCloudSploitCsv(localFile(CLOUDSPLOIT_CSV, 'cs'), i));
    const strip = (f: (typeof json.findings)[number]) => ({ ...f, raw: undefined });
    expect(csv.findings.map(strip)).toEqual(json.findings.map(strip));
  });

  it('numeric statuses (older versions) and WARN', async () => {
    const path = tmp.write('n.json', JSON.stringify([{ plugin: 'x', category: 'EC2', title: 'X', resource: 'r', region: 'eu-west-1', status: 1, message: 'm' }, { plugin: 'y', status: 3 }]));
    const { findings } = await collect((i) => parseCloudSploitJson(localFile(path, 'n.json'), i));
    expect(findings.map((f) => [f.status, f.severity])).toEqual([
      ['fail', 'low'],
      ['unknown', undefined],
    ]);
  });

  it('a truncated copy keeps the complete results', async () => {
    const text = readFileSync(CLOUDSPLOIT_JSON, 'utf8');
    const path = tmp.write('cut.json', text.slice(0, text.indexOf('"passwordPolicyExists"')));
    const { findings, issues } = await collect((i) => parseCloudSploitJson(localFile(path, 'cut.json'), i));
    expect(findings).toHaveLength(3);
    expect(describeIssue(issues.kept[0]!)).toMatch(/^cut\.json:\d+:3 \(record 4\): the file ends inside this record/);
  });
});

describe('Cloud Custodian', () => {
  it('reads the real output folder without metadata.json: one finding per matched resource', async () => {
    const { findings, issues } = await collect((i) => parseCustodianFolder(localFolder(CUSTODIAN_DIR), i, { account: '222222222222' }));
    expect(issues.total).toBe(0);
    expect(findings).toEqual([
      expect.objectContaining({
        tool: 'custodian',
        checkId: 'ec2-running-instances',
        status: 'fail',
        resource: 'arn:aws:ec2:us-east-1:222222222222:instance/i-014296505597bf519',
        region: 'us-east-1',
        account: '222222222222',
        service: 'ec2',
        raw: { file: 'ec2-running-instances/resources.json', line: 2, record: 0 },
      }),
    ]);
    expect(findings[0]!.severity).toBeUndefined();
  });

  it('uses metadata.json (account, region, the author’s severity and best practices) and region folders', async () => {
    tmp.copy(`${CUSTODIAN_DIR}/ec2-running-instances/resources.json`, 'out/eu-west-1/ec2-public-ip/resources.json');
    tmp.write(
      'out/eu-west-1/ec2-public-ip/metadata.json',
      JSON.stringify({
        policy: { name: 'ec2-public-ip', resource: 'aws.ec2', description: 'Instances with a public IP', metadata: { severity: 'High', wafr: ['SEC05-BP01'] } },
        config: { region: 'eu-west-1', account_id: '111111111111' },
        execution: { id: 'x', start: 1, end_time: 2, duration: 1 },
      }),
    );
    const { findings, issues } = await collect((i) => parseCustodianFolder(localFolder(`${tmp.path}/out`), i));
    expect(issues.total).toBe(0);
    expect(findings).toEqual([
      expect.objectContaining({
        checkId: 'ec2-public-ip',
        title: 'Instances with a public IP',
        severity: 'high',
        resource: 'arn:aws:ec2:eu-west-1:111111111111:instance/i-014296505597bf519',
        region: 'eu-west-1',
        account: '111111111111',
        authorMapping: { severity: 'high', bestPractices: ['SEC05-BP01'] },
      }),
    ]);
  });

  it('a truncated resources.json and a broken metadata.json are reported, valid resources kept', async () => {
    const resources = JSON.parse(readFileSync(`${CUSTODIAN_DIR}/ec2-running-instances/resources.json`, 'utf8')) as object[];
    const two = JSON.stringify([resources[0], { ...resources[0], InstanceId: 'i-2' }], null, 2);
    tmp.write('out/p1/resources.json', two.slice(0, two.length - 40));
    tmp.write('out/p1/metadata.json', '{"policy": {"name": ');
    const { findings, issues } = await collect((i) => parseCustodianFolder(localFolder(`${tmp.path}/out`), i, { account: '222222222222' }));
    expect(findings.map((f) => f.resource)).toEqual(['arn:aws:ec2:us-east-1:222222222222:instance/i-014296505597bf519']);
    expect(issues.kept.map(describeIssue)).toEqual([
      expect.stringMatching(/^p1\/metadata\.json:1:1 \(record 1\): the file ends inside this record/),
      expect.stringMatching(/^p1\/resources\.json:\d+:3 \(record 2\): the file ends inside this record/),
    ]);
  });

  it('an empty folder says so', async () => {
    const { issues } = await collect((i) => parseCustodianFolder(localFolder(tmp.path), i));
    expect(issues.kept[0]!.message).toMatch(/no Custodian policy output/);
  });
});
