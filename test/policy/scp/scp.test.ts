import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/config/config-error.js';
import { IamCatalog } from '../../../src/policy/catalog.js';
import { compilePolicy, createRequestContext, evaluateAccess } from '../../../src/policy/evaluate/index.js';
import { loadScpTree, parseScpTree } from '../../../src/policy/scp/load.js';
import { scpPathFor } from '../../../src/policy/scp/tree.js';

const catalog = new IamCatalog();

const TREE = `organization:
  id: o-a1b2c3d4e5
root:
  id: r-a1b2
  policies: [FullAWSAccess]
  children:
    - id: ou-a1b2-prod0001
      name: Prod
      policies: [FullAWSAccess, deny-writes]
      accounts:
        - id: "111111111111"
          name: payments-prod
          policies: [FullAWSAccess]
`;
const FULL = { file: 'policies/FullAWSAccess.json', text: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] }) };
const DENY_WRITES = { file: 'policies/deny-writes.json', text: JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'DenyWrites', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }] }, null, 2) };

async function failure(promise: Promise<unknown>): Promise<ConfigError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('the example organization', () => {
  it('loads, lints clean against the catalog, and gives each account its path of SCPs', async () => {
    const tree = await loadScpTree('examples/scps', { catalog });
    const prod = scpPathFor(tree, '111111111111');
    expect(prod.found && prod.path).toEqual(['Root', 'Workloads', 'Prod', 'payments-prod']);
    expect(prod.found && prod.levels.map((l) => [l.target.name, l.policies.map((p) => p.name)])).toEqual([
      ['Root', ['FullAWSAccess', 'deny-leave-organization', 'deny-root-user']],
      ['Workloads', ['FullAWSAccess', 'region-restriction', 'protect-security-tooling']],
      ['Prod', ['FullAWSAccess', 'deny-writes-in-prod', 'require-mfa-for-deletes']],
      ['payments-prod', ['FullAWSAccess']],
    ]);
  });

  it('holds every account of examples/org.yaml', async () => {
    const tree = await loadScpTree('examples/scps');
    const org = await readFile('examples/org.yaml', 'utf8');
    for (const id of [...org.matchAll(/id: "(\d{12})"/g)].map((m) => m[1] ?? '')) expect(scpPathFor(tree, id).found, id).toBe(true);
  });

  it('behaves as documented: writes denied in prod, the sandbox allow-list, the management account exempt', async () => {
    const tree = await loadScpTree('examples/scps');
    const identity = [compilePolicy('grant', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] })];
    const context = createRequestContext({ 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/ana', 'aws:RequestedRegion': 'eu-west-1' });
    const prod = scpPathFor(tree, '111111111111');
    const sandbox = scpPathFor(tree, '222222222222');
    const management = scpPathFor(tree, '999999999999');
    if (!prod.found || !sandbox.found || !management.found) throw new Error('accounts missing');
    const put = { action: 's3:PutObject', resource: 'arn:aws:s3:::billing-reports/a.csv', context };
    expect(evaluateAccess({ identity, scps: prod.levels }, put)).toMatchObject({ decision: 'explicit-deny', deniedBy: [{ policy: 'deny-writes-in-prod', statement: 'DenyWrites', target: { name: 'Prod' } }] });
    expect(evaluateAccess({ identity, scps: sandbox.levels }, put).decision).toBe('allowed');
    expect(evaluateAccess({ identity, scps: sandbox.levels }, { ...put, action: 'rds:DeleteDBInstance', resource: 'arn:aws:rds:eu-west-1:222222222222:db:x' })).toMatchObject({
      decision: 'implicit-deny',
      missingAllow: [{ kind: 'scp', target: { name: 'Sandbox' } }],
    });
    expect(management).toMatchObject({ exempt: true, levels: [] });
  });

  it('says when an account is not in the tree', async () => {
    expect(scpPathFor(await loadScpTree('examples/scps'), '333333333333')).toEqual({ found: false, accountId: '333333333333' });
  });
});

describe('organization file errors name the file, the field and the fix', () => {
  it('an SCP that does not exist, with a suggestion and the line', async () => {
    const error = await failure(parseScpTree({ file: 'organization.yaml', text: TREE.replace('deny-writes]', 'deny-write]') }, [FULL, DENY_WRITES]));
    expect(error.file).toBe('organization.yaml');
    expect(error.issues).toEqual([
      { path: 'root.children[0].policies[1]', line: 9, message: 'no SCP named "deny-write"; did you mean "deny-writes"? add policies/deny-write.json or use one of: FullAWSAccess, deny-writes' },
    ]);
  });

  it('a node without any SCP', async () => {
    const error = await failure(parseScpTree({ file: 'organization.yaml', text: TREE.replace('policies: [FullAWSAccess, deny-writes]', 'policies: []') }, [FULL, DENY_WRITES]));
    expect(error.issues[0]).toMatchObject({ path: 'root.children[0].policies', message: expect.stringContaining('attach FullAWSAccess') });
  });

  it('an account in two places', async () => {
    const twice = TREE.replace('  children:', '  accounts:\n    - id: "111111111111"\n      name: again\n      policies: [FullAWSAccess]\n  children:');
    const error = await failure(parseScpTree({ file: 'organization.yaml', text: twice }, [FULL, DENY_WRITES]));
    expect(error.issues[0]?.message).toContain('duplicate account id "111111111111"');
  });

  it('a typo in a field name', async () => {
    const error = await failure(parseScpTree({ file: 'organization.yaml', text: TREE.replace('      accounts:', '      acounts:') }, [FULL, DENY_WRITES]));
    expect(error.issues[0]).toMatchObject({ path: 'root.children[0].acounts', message: expect.stringContaining('did you mean "accounts"') });
  });
});

describe('SCP file errors', () => {
  it('a Principal in an SCP, with the statement it is in', async () => {
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: '*' }] }, null, 2);
    const error = await failure(parseScpTree({ file: 'organization.yaml', text: TREE }, [FULL, { file: 'policies/deny-writes.json', text }]));
    expect(error.file).toBe('policies/deny-writes.json');
    expect(error.issues).toEqual([{ path: 'Statement[0].Principal', line: 6, message: expect.stringContaining('remove Principal') }]);
  });

  it('an action that does not exist, when linted against the catalog', async () => {
    const text = DENY_WRITES.text.replace('s3:PutObject', 's3:PutObjekt');
    const error = await failure(parseScpTree({ file: 'organization.yaml', text: TREE }, [FULL, { file: 'policies/deny-writes.json', text }], { catalog }));
    expect(error.issues[0]?.message).toContain('s3:PutObjekt is not an IAM action. Did you mean s3:PutObject');
  });

  it('a policy over the 5,120-character limit', async () => {
    const actions = Array.from({ length: 400 }, (_, i) => `s3:GetObject${i}`);
    const text = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: actions, Resource: '*' }] });
    const error = await failure(parseScpTree({ file: 'organization.yaml', text: TREE }, [FULL, { file: 'policies/deny-writes.json', text }]));
    expect(error.issues[0]?.message).toContain('5120 characters');
  });

  it('broken JSON, with the line', async () => {
    const error = await failure(parseScpTree({ file: 'organization.yaml', text: TREE }, [FULL, { file: 'policies/deny-writes.json', text: '{\n  "Version": "2012-10-17",\n  "Statement": [\n}' }]));
    expect(error.issues[0]).toMatchObject({ line: 4, message: expect.stringContaining('JSON syntax error') });
  });
});
