import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ConfigError, loadPolicyConfig, parseAccessRules, parseOrg } from '../../src/config/load-policy-files.js';
import type { AccessRules, Org } from '../../src/config/schemas.js';

let dir: string;
let orgFile: string;
let rulesFile: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'warden-config-'));
  orgFile = join(dir, 'org.yaml');
  rulesFile = join(dir, 'access-rules.yaml');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Fresh copies of the sample files as data, to break one thing at a time. */
async function samples(): Promise<{ org: Org; rules: AccessRules }> {
  return {
    org: parse(await readFile('examples/org.yaml', 'utf8')) as Org,
    rules: parse(await readFile('examples/access-rules.yaml', 'utf8')) as AccessRules,
  };
}

async function write(org: Org | string, rules: AccessRules | string): Promise<{ orgText: string; rulesText: string }> {
  const orgText = typeof org === 'string' ? org : stringify(org);
  const rulesText = typeof rules === 'string' ? rules : stringify(rules);
  await writeFile(orgFile, orgText);
  await writeFile(rulesFile, rulesText);
  return { orgText, rulesText };
}

async function loadError(): Promise<ConfigError> {
  const err: unknown = await loadPolicyConfig(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConfigError);
  return err as ConfigError;
}

/** 1-based line of the first line containing `needle`. */
function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  expect(index, `"${needle}" in the written file`).toBeGreaterThanOrEqual(0);
  return index + 1;
}

describe('loadPolicyConfig', () => {
  it('loads the sample org and rules from a folder', async () => {
    const { org, rules } = await loadPolicyConfig('examples');
    expect(org.accounts.map((a) => [a.name, a.id, a.environment, a.region])).toEqual([
      ['payments-prod', '111111111111', 'prod', 'eu-west-1'],
      ['sandbox', '222222222222', 'dev', 'us-east-1'],
    ]);
    expect(org.users.map((u) => u.slackId)).toEqual(['U0ANA', 'U0BEN', 'U0CARLA', 'U0DAVE']);
    expect(org.groups.map((g) => g.id)).toEqual(['engineers', 'payments-leads', 'platform']);
    expect(rules.defaults).toEqual({ defaultDurationMinutes: 60, maxDurationMinutes: 480, pendingTtlMinutes: 1440 });
    expect(rules.rules.map((r) => [r.name, r.quorum, r.maxDurationMinutes, r.notify])).toEqual([
      ['payments-prod', 1, 240, { mode: 'dm' }],
      ['sandbox', 1, 480, { mode: 'channel', channel: '#access-requests' }],
    ]);
  });

  it('accepts explicit paths, JSON files and accounts named by id or "*"', async () => {
    const { org, rules } = await samples();
    rules.rules[0]!.accounts = ['111111111111'];
    rules.rules[1]!.accounts = ['*'];
    const jsonOrg = join(dir, 'my-org.json');
    await writeFile(jsonOrg, JSON.stringify(org, null, 2));
    await writeFile(rulesFile, stringify(rules));
    const loaded = await loadPolicyConfig({ orgFile: jsonOrg, rulesFile });
    expect(loaded.rules.rules[1]!.accounts).toEqual(['*']);
  });

  it('names file, line, field and the received value for a bad Slack id', async () => {
    const { org, rules } = await samples();
    org.users[2]!.slackId = 'ana';
    const { orgText } = await write(org, rules);
    const err = await loadError();
    expect(err.file).toBe(orgFile);
    expect(err.issues).toEqual([
      { path: 'users[2].slackId', message: 'a Slack member id like "U024BE7LH" (got "ana")', line: lineOf(orgText, 'slackId: ana') },
    ]);
    expect(err.format()).toBe(`${orgFile}:${lineOf(orgText, 'slackId: ana')}: users[2].slackId: a Slack member id like "U024BE7LH" (got "ana")`);
    expect(err.message).toBe(err.format());
  });

  it('reports a duplicate account name, pointing at both entries', async () => {
    const { org, rules } = await samples();
    org.accounts[1]!.name = 'payments-prod';
    await write(org, rules);
    const err = await loadError();
    expect(err.file).toBe(orgFile);
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]!.path).toBe('accounts[1].name');
    expect(err.issues[0]!.message).toMatch(/duplicate account name "payments-prod" \(also at accounts\[0\]\.name\)/);
  });

  it('reports duplicate account ids and Slack ids, and group members who do not exist', async () => {
    const { org, rules } = await samples();
    org.accounts[1]!.id = '111111111111';
    org.users[3]!.slackId = 'U0ANA';
    org.groups[2]!.members = ['dave', 'davd'];
    await write(org, rules);
    const err = await loadError();
    expect(err.issues.map((i) => i.path)).toEqual(['accounts[1].id', 'users[3].slackId', 'groups[2].members[1]']);
    expect(err.issues[2]!.message).toMatch(/unknown user "davd"; did you mean "dave"\?/);
  });

  it('reports a rule that names an unknown group, in the rules file', async () => {
    const { org, rules } = await samples();
    rules.rules[0]!.approvers.groups = ['payments-lead'];
    const { rulesText } = await write(org, rules);
    const err = await loadError();
    expect(err.file).toBe(rulesFile);
    const issue = err.issues.find((i) => i.path === 'rules[0].approvers.groups[0]');
    expect(issue?.message).toMatch(/unknown group "payments-lead"; did you mean "payments-leads"\?/);
    expect(issue?.message).toContain(orgFile);
    expect(issue?.line).toBe(lineOf(rulesText, '- payments-lead'));
    // With its only approver group unknown the rule can never reach its quorum either.
    expect(err.issues.map((i) => i.path)).toContain('rules[0].quorum');
  });

  it('reports unknown accounts and requester users', async () => {
    const { org, rules } = await samples();
    rules.rules[1]!.accounts = ['sandbx'];
    rules.rules[1]!.requesters = { users: ['zoe'], groups: [] };
    await write(org, rules);
    const err = await loadError();
    expect(err.issues.map((i) => i.path)).toEqual(['rules[1].accounts[0]', 'rules[1].requesters.users[0]']);
    expect(err.issues[0]!.message).toMatch(/unknown account "sandbx"; did you mean "sandbox"\?.*"\*"/);
  });

  it('reports a quorum larger than the number of distinct approvers', async () => {
    const { org, rules } = await samples();
    // ben is named directly and through payments-leads: he counts once, so 2 people for quorum 3.
    rules.rules[0]!.approvers = { users: ['ben'], groups: ['payments-leads'] };
    rules.rules[0]!.quorum = 3;
    const { rulesText } = await write(org, rules);
    const err = await loadError();
    expect(err.issues).toEqual([
      {
        path: 'rules[0].quorum',
        message: expect.stringMatching(/quorum 3 needs at least 3 distinct approvers, but approvers name 2 \(ben, carla\)/),
        line: lineOf(rulesText, 'quorum: 3'),
      },
    ]);
  });

  it('reports a rule maxDuration below the default duration, and defaults that contradict each other', async () => {
    const { org, rules } = await samples();
    rules.rules[0]!.maxDurationMinutes = 30;
    rules.defaults.maxDurationMinutes = 45;
    await write(org, rules);
    const err = await loadError();
    expect(err.issues.map((i) => i.path)).toEqual(['defaults.maxDurationMinutes', 'rules[0].maxDurationMinutes']);
    expect(err.issues[1]!.message).toMatch(/30 is shorter than defaults\.defaultDurationMinutes \(60\)/);
  });

  it('treats an unknown field as an error and suggests the intended one', async () => {
    const { org, rules } = await samples();
    const { quorum: _dropped, ...rest } = rules.rules[0]!;
    const typo = { ...rest, quorom: 2 };
    await write(org, stringify({ ...rules, rules: [typo, rules.rules[1]] }));
    const err = await loadError();
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]!.path).toBe('rules[0].quorom');
    expect(err.issues[0]!.message).toMatch(/unknown field; did you mean "quorum"\?/);
  });

  it('hints at quoting when an account id was written as a YAML number', async () => {
    const { org, rules } = await samples();
    await write(stringify(org).replace("id: \"222222222222\"", 'id: 222222222222'), rules);
    const err = await loadError();
    expect(err.format()).toMatch(/accounts\[1\]\.id: expected a string; put it in quotes \(got 222222222222\)/);
  });

  it('names the line of a YAML syntax error', async () => {
    const { rules } = await samples();
    const broken = ['accounts:', '  - id: "111111111111"', '    name: sandbox', '   users: []', ''].join('\n');
    await write(broken, rules);
    const err = await loadError();
    expect(err.file).toBe(orgFile);
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]!.line).toBe(4);
    expect(err.format()).toMatch(new RegExp(`^${escape(orgFile)}:4: YAML syntax error at line 4, column \\d+: `));
  });

  it('explains an unquoted "*" in a rule', async () => {
    const { org, rules } = await samples();
    const text = stringify(rules).replace('- payments-prod\n', '- *\n');
    await write(org, text);
    const err = await loadError();
    expect(err.file).toBe(rulesFile);
    expect(err.issues[0]!.line).toBe(lineOf(text, '- *'));
    expect(err.issues[0]!.message).toContain('write "*" in quotes');
  });

  it('names the line of a JSON syntax error', () => {
    const text = '{\n  "accounts": [],\n  "users": [\n    {"id": "ana",}\n  ]\n}\n';
    const err = catchError(() => parseOrg(text, 'org.json'));
    expect(err.issues[0]!.line).toBe(4);
    expect(err.format()).toMatch(/^org\.json:4: JSON syntax error at line 4: /);
  });

  it('says which path is missing and which variable sets it', async () => {
    const err = await loadError();
    expect(err.file).toBe(orgFile);
    expect(err.format()).toContain(`${orgFile}: file not found`);
    expect(err.format()).toContain('WARDEN_ORG_FILE');
    expect(err.format()).toContain('WARDEN_CONFIG_DIR');

    const { org } = await samples();
    await writeFile(orgFile, stringify(org));
    const rulesErr = await loadError();
    expect(rulesErr.file).toBe(rulesFile);
    expect(rulesErr.format()).toContain('WARDEN_RULES_FILE');
  });

  it('rejects an empty file and an unsupported extension with a plain message', async () => {
    expect(catchError(() => parseOrg('', 'org.yaml')).format()).toBe('org.yaml: the file is empty; see examples/ for a complete sample');
    expect(catchError(() => parseOrg('a: 1', 'org.txt')).format()).toMatch(/unsupported file type "\.txt"/);
  });

  it('lists every schema problem of one file, one per line, in file order', () => {
    const text = ['accounts:', '  - id: "123"', '    name: Payments', 'users:', '  - id: ana', '    awsPrincipal: nope', ''].join('\n');
    const err = catchError(() => parseOrg(text, 'org.yaml'));
    expect(err.format().split('\n')).toEqual([
      'org.yaml:2: accounts[0].id: an AWS account id is 12 digits, e.g. "111122223333" (got "123")',
      'org.yaml:3: accounts[0].name: use lower-case letters, digits, ".", "_" or "-" (got "Payments")',
      'org.yaml:5: users[0].name: required (a string)',
      'org.yaml:6: users[0].awsPrincipal: an IAM user or role ARN (got "nope")',
    ]);
  });

  it('validates rules text against an org without touching the disk', async () => {
    const { org: orgData, rules } = await samples();
    const org = parseOrg(stringify(orgData), 'org.yaml');
    expect(parseAccessRules(stringify(rules), 'rules.yaml', org).rules).toHaveLength(2);
    rules.rules[1]!.notify = { mode: 'channel', channel: '' };
    const err = catchError(() => parseAccessRules(stringify(rules), 'rules.yaml', org));
    expect(err.issues.map((i) => [i.path, i.message])).toEqual([['rules[1].notify.channel', 'must not be empty (got "")']]);
  });

  it('lets a channel rule name a Slack channel, a Teams channel or both, and refuses one naming neither', async () => {
    const { org: orgData, rules } = await samples();
    const org = parseOrg(stringify(orgData), 'org.yaml');
    rules.rules[1]!.notify = { mode: 'channel', channel: '#access-requests', teamsChannel: '#access-requests' };
    expect(parseAccessRules(stringify(rules), 'rules.yaml', org).rules[1]!.notify).toEqual({ mode: 'channel', channel: '#access-requests', teamsChannel: '#access-requests' });
    rules.rules[1]!.notify = { mode: 'channel', teamsChannel: '19:approvers@thread.tacv2' };
    expect(parseAccessRules(stringify(rules), 'rules.yaml', org).rules[1]!.notify).toEqual({ mode: 'channel', teamsChannel: '19:approvers@thread.tacv2' });

    rules.rules[1]!.notify = { mode: 'channel' };
    const { rulesText } = await write(orgData, rules);
    const err = await loadError();
    expect(err.file).toBe(rulesFile);
    expect(err.issues).toHaveLength(1);
    expect(err.issues[0]!.path).toBe('rules[1].notify');
    expect(err.issues[0]!.message).toMatch(/names no channel; set channel .* and\/or teamsChannel/);
    // The line of the rule's `notify:`, just above its mode.
    expect(err.format()).toContain(`${rulesFile}:${lineOf(rulesText, 'mode: channel') - 1}: rules[1].notify:`);
  });
});

describe('access rule conditions and auto-approval in the rules file', () => {
  it('accepts environments, accessLevels, maxRisk and a safe autoApprove rule, as the commented example shows', async () => {
    const { org: orgData } = await samples();
    const org = parseOrg(stringify(orgData), 'org.yaml');
    // The commented "quick-reads" example, uncommented, is valid as written.
    const text = await readFile('examples/access-rules.yaml', 'utf8');
    const start = text.indexOf('  # - name: quick-reads');
    expect(start).toBeGreaterThan(0);
    const block = text.slice(start, text.indexOf('\n\n', start));
    const uncommented = text.replace(block, block.replace(/^  # ?/gm, '  '));
    const rules = parseAccessRules(uncommented, 'access-rules.yaml', org);
    expect(rules.rules.map((r) => r.name)).toEqual(['payments-prod', 'quick-reads', 'sandbox']);
    expect(rules.rules[1]).toMatchObject({ environments: ['dev', 'sandbox'], accessLevels: ['List', 'Read'], maxRisk: 'low', autoApprove: true, maxDurationMinutes: 60 });
  });

  it('explains a misspelled environment, access level or risk level at its line', async () => {
    const { org, rules } = await samples();
    Object.assign(rules.rules[1]!, { environments: ['develop'], accessLevels: ['read'], maxRisk: 'moderate' });
    const { rulesText } = await write(org, rules);
    const err = await loadError();
    expect(err.issues.map((i) => i.path)).toEqual(['rules[1].environments[0]', 'rules[1].accessLevels[0]', 'rules[1].maxRisk']);
    expect(err.issues[0]!.message).toMatch(/an environment: prod \| staging \| dev \| sandbox/);
    expect(err.issues[1]!.message).toMatch(/an IAM access level: "List", "Read", "Write", "Tagging", "Permissions management"/);
    expect(err.issues[2]!.message).toMatch(/a risk level: low \| medium \| high \| critical/);
    expect(err.issues[2]!.line).toBe(lineOf(rulesText, 'maxRisk: moderate'));
  });

  it('refuses an autoApprove rule that could cover Permissions management or Write in prod, naming the field', async () => {
    const { org, rules } = await samples();
    Object.assign(rules.rules[0]!, { autoApprove: true, accessLevels: ['Read', 'Write', 'Permissions management'] });
    const { rulesText } = await write(org, rules);
    const err = await loadError();
    expect(err.file).toBe(rulesFile);
    expect(err.issues).toEqual([
      {
        path: 'rules[0].accessLevels[1]',
        message: expect.stringMatching(/autoApprove rule may not cover Write in production \(it names payments-prod\); remove "Write" from accessLevels, or set environments without prod/),
        line: lineOf(rulesText, '- Write'),
      },
      {
        path: 'rules[0].accessLevels[2]',
        message: expect.stringMatching(/may not cover "Permissions management"; remove it from accessLevels/),
        line: lineOf(rulesText, '- Permissions management'),
      },
    ]);
  });

  it('refuses an autoApprove rule without accessLevels, or above medium risk, and a rule whose environments exclude its accounts', async () => {
    const { org, rules } = await samples();
    Object.assign(rules.rules[1]!, { autoApprove: true, maxRisk: 'high', accounts: ['*'] });
    Object.assign(rules.rules[0]!, { environments: ['dev'] });
    const { rulesText } = await write(org, rules);
    const err = await loadError();
    expect(err.issues.map((i) => i.path)).toEqual(['rules[0].environments', 'rules[1].autoApprove', 'rules[1].autoApprove', 'rules[1].maxRisk']);
    expect(err.issues[0]!.message).toMatch(/none of the accounts this rule names is in dev \(payments-prod: prod\)/);
    expect(err.issues.map((i) => i.message).join('\n')).toMatch(/must list its accessLevels/);
    expect(err.issues.map((i) => i.message).join('\n')).toMatch(/may not cover Write in production \(it names payments-prod\); list accessLevels without "Write"/);
    expect(err.issues[3]!.message).toMatch(/never auto-approves high-risk requests; set maxRisk: medium/);
    expect(err.issues[1]!.line).toBe(lineOf(rulesText, 'autoApprove: true'));
  });

  it('accepts an autoApprove Write rule limited to non-production environments', async () => {
    const { org: orgData, rules } = await samples();
    const org = parseOrg(stringify(orgData), 'org.yaml');
    Object.assign(rules.rules[1]!, { autoApprove: true, accounts: ['*'], environments: ['dev', 'sandbox'], accessLevels: ['Read', 'Write'] });
    expect(parseAccessRules(stringify(rules), 'rules.yaml', org).rules[1]).toMatchObject({ autoApprove: true, accessLevels: ['Read', 'Write'] });
  });

  it('reserves the user id "warden" for Warden itself', async () => {
    const { org, rules } = await samples();
    org.users[3]!.id = 'warden';
    org.groups = org.groups.map((g) => ({ ...g, members: g.members.map((m) => (m === 'dave' ? 'warden' : m)) }));
    await write(org, rules);
    const err = await loadError();
    expect(err.issues[0]).toMatchObject({ path: 'users[3].id', message: expect.stringMatching(/reserved for Warden itself/) });
  });
});

function catchError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
