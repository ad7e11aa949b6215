import { describe, expect, it } from 'vitest';
import { Directory } from '../../src/access/directory.js';
import { loadPolicyConfig } from '../../src/config/load-policy-files.js';
import { ConfigError } from '../../src/config/config-error.js';
import { parseScanCommand } from '../../src/scans/command.js';
import { parseScanEnv, scanRoleArn, stateMachineRegion } from '../../src/scans/config.js';
import { scanners } from '../../src/scans/permissions.js';

describe('parseScanCommand', () => {
  it('reads the account, tools and regions', () => {
    expect(parseScanCommand('')).toEqual({ kind: 'start', regions: [] });
    expect(parseScanCommand('payments-prod --tools prowler,cloudsploit --region eu-west-1,us-east-1')).toEqual({
      kind: 'start',
      account: 'payments-prod',
      tools: ['prowler', 'cloudsploit'],
      regions: ['eu-west-1', 'us-east-1'],
    });
    expect(parseScanCommand('--tools=Custodian 111111111111')).toEqual({ kind: 'start', account: '111111111111', tools: ['custodian'], regions: [] });
  });

  it('reads the subcommands', () => {
    expect(parseScanCommand('status')).toEqual({ kind: 'status' });
    expect(parseScanCommand('last')).toEqual({ kind: 'last' });
    expect(parseScanCommand('last sandbox')).toEqual({ kind: 'last', account: 'sandbox' });
    expect(parseScanCommand('import out/prowler.json')).toEqual({ kind: 'import', path: 'out/prowler.json' });
    expect(parseScanCommand('import sandbox out/')).toEqual({ kind: 'import', account: 'sandbox', path: 'out/' });
    expect(parseScanCommand('HELP')).toEqual({ kind: 'help' });
  });

  it('says what is wrong with a bad command', () => {
    expect(parseScanCommand('a b')).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/one account/) });
    expect(parseScanCommand('a --tools')).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/needs a value/) });
    expect(parseScanCommand('a --tools nmap')).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/nmap/) });
    expect(parseScanCommand('a --region mars')).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/region name/) });
    expect(parseScanCommand('a --fast yes')).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/--fast/) });
    expect(parseScanCommand('import')).toMatchObject({ kind: 'invalid' });
  });
});

describe('parseScanEnv', () => {
  it('has defaults that leave Step Functions off', () => {
    expect(parseScanEnv({})).toEqual({
      stateMachineArn: null,
      roleName: 'warden-scan',
      localAccountId: null,
      defaultAccount: null,
      defaultTools: ['prowler', 'custodian', 'cloudsploit'],
      scanGroups: ['platform'],
      poll: { initialMs: 5000, maxMs: 60_000, timeoutMs: 360 * 60_000 },
      retentionDays: 90,
      importDir: null,
    });
  });

  it('reads every variable', () => {
    const config = parseScanEnv({
      WARDEN_SCAN_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:111111111111:stateMachine:warden-scan',
      WARDEN_SCAN_ROLE_NAME: 'SecurityAudit',
      WARDEN_SCAN_LOCAL_ACCOUNT_ID: '111111111111',
      WARDEN_SCAN_DEFAULT_ACCOUNT: 'sandbox',
      WARDEN_SCAN_TOOLS: 'prowler, cloudsploit',
      WARDEN_SCAN_GROUPS: 'platform,security',
      WARDEN_SCAN_POLL_SECONDS: '2',
      WARDEN_SCAN_POLL_MAX_SECONDS: '30',
      WARDEN_SCAN_TIMEOUT_MINUTES: '60',
      WARDEN_SCAN_RETENTION_DAYS: '30',
      WARDEN_SCAN_IMPORT_DIR: '/srv/scans',
    });
    expect(config).toMatchObject({ roleName: 'SecurityAudit', defaultTools: ['prowler', 'cloudsploit'], scanGroups: ['platform', 'security'], poll: { initialMs: 2000, maxMs: 30_000, timeoutMs: 3_600_000 } });
    expect(stateMachineRegion(config.stateMachineArn!)).toBe('eu-west-1');
    expect(scanRoleArn(config, '111111111111')).toBeNull();
    expect(scanRoleArn(config, '222222222222')).toBe('arn:aws:iam::222222222222:role/SecurityAudit');
  });

  it('names each bad variable and what a good value is', () => {
    try {
      parseScanEnv({ WARDEN_SCAN_STATE_MACHINE_ARN: 'warden-scan', WARDEN_SCAN_TOOLS: 'prowler,nmap', WARDEN_SCAN_POLL_SECONDS: 'soon' });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const text = (error as ConfigError).format();
      expect(text).toMatch(/environment: WARDEN_SCAN_STATE_MACHINE_ARN: a state machine ARN like/);
      expect(text).toMatch(/WARDEN_SCAN_TOOLS: a comma-separated list of prowler, custodian, cloudsploit/);
      expect(text).toMatch(/WARDEN_SCAN_POLL_SECONDS: seconds before the first check/);
    }
    expect(() => parseScanEnv({ WARDEN_SCAN_POLL_SECONDS: '60', WARDEN_SCAN_POLL_MAX_SECONDS: '10' })).toThrow(/WARDEN_SCAN_POLL_MAX_SECONDS: must be at least/);
  });
});

describe('who may scan', () => {
  it('the approvers of the rules covering the account, and the scan groups', async () => {
    const { org, rules } = await loadPolicyConfig('examples');
    const directory = new Directory(org);
    const sandbox = directory.account('sandbox')!;
    const prod = directory.account('payments-prod')!;
    expect([...scanners(directory, rules, ['platform'], sandbox)].sort()).toEqual(['ben', 'carla', 'dave']);
    expect([...scanners(directory, rules, ['platform'], prod)].sort()).toEqual(['ben', 'carla', 'dave']);
    expect([...scanners(directory, rules, [], prod)].sort()).toEqual(['ben', 'carla']);
  });
});
