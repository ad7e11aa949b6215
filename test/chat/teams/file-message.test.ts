import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { s3OrLocalResults } from '../../../src/aws/sfn/s3-results.js';
import { parseScanEnv } from '../../../src/scans/config.js';
import type { ScanPorts } from '../../../src/scans/ports.js';
import { SqliteScanStore } from '../../../src/scans/sqlite/sqlite-scan-store.js';
import { SqliteStore } from '../../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../../src/store/store.js';
import { PROWLER_OCSF } from '../../scans/support.js';
import { FILE_DOWNLOAD_INFO, filesOf, isTeamsFileUrl } from '../../../src/chat/teams/handlers/file-message.js';
import { AAD, shown, startTeamsHarness, type TeamsHarness } from '../../support/teams-harness.js';

let h: TeamsHarness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

function ports(store: Store): ScanPorts {
  if (!(store instanceof SqliteStore)) throw new Error('these tests use the SQLite store');
  return { store: new SqliteScanStore(store.connection), runner: null, results: s3OrLocalResults(null), config: parseScanEnv({}), ids: { scanId: () => 's-teams-file' } };
}

const GUARDRAILS = readFileSync('examples/guardrails.yaml', 'utf8').replace(
  'deniedActions:\n',
  '# Frozen until the queue migration is done (PLAT-311).\ndeniedActions:\n  - actions: ["sqs:*"]\n    reason: "queues are frozen during the migration"\n    wayOut: "ask in #platform"\n',
);

describe('files sent to Warden in the Teams personal chat', () => {
  it('an admin’s `guardrails set` with the file applies it, comments kept, audited; a non-admin’s is refused', async () => {
    h = await startTeamsHarness({ policyConfig: true, slack: false });
    const dave = h.teams.personalChatOf(AAD.dave).id;
    let since = h.teams.requests.length;
    await h.sender.message({ from: AAD.dave, text: 'guardrails set', files: [{ name: 'guardrails.yaml', content: GUARDRAILS }] });
    await h.teams.waitForMessage(dave, /Guardrails version 1 applied: changed deniedActions/, { since });
    expect((await h.store.getLatestPolicyVersion('guardrails'))?.text).toBe(GUARDRAILS);
    expect((await h.store.listAudit()).filter((e) => e.type === 'policy.changed')).toMatchObject([{ actorId: 'dave', detail: { kind: 'guardrails', version: 1 } }]);

    const ana = h.teams.personalChatOf(AAD.ana).id;
    since = h.teams.requests.length;
    const downloads = h.teams.requests.filter((r) => r.operation === 'fileDownload').length;
    await h.sender.message({ from: AAD.ana, text: 'rules set', files: [{ name: 'access-rules.yaml', content: 'admins:\n  users: [ana]\n' }] });
    const refused = await h.teams.waitForMessage(ana, /Only Warden admins/, { since });
    expect(shown(refused)).toMatch(/Only Warden admins can change the access rules/);
    expect(h.teams.requests.filter((r) => r.operation === 'fileDownload')).toHaveLength(downloads);
    expect(await h.store.getLatestPolicyVersion('access-rules')).toBeUndefined();
  });

  it('an invalid file is refused naming the field and line; a file with other words gets the list of file commands', async () => {
    h = await startTeamsHarness({ policyConfig: true, slack: false });
    const dave = h.teams.personalChatOf(AAD.dave).id;
    let since = h.teams.requests.length;
    await h.sender.message({ from: AAD.dave, text: 'guardrails set', files: [{ name: 'guardrails.yaml', content: GUARDRAILS.replace('maxMinutes: 480', 'maxMinutes: lots') }] });
    const refusal = await h.teams.waitForMessage(dave, /not applied/, { since });
    expect(shown(refusal)).toMatch(/line \d+: durations\.maxMinutes: /);
    expect(await h.store.getLatestPolicyVersion('guardrails')).toBeUndefined();

    since = h.teams.requests.length;
    await h.sender.message({ from: AAD.dave, text: '', files: [{ name: 'guardrails.yaml', content: GUARDRAILS }] });
    expect(shown(await h.teams.waitForMessage(dave, /can't tell what to do/, { since }))).toMatch(/scan import \[account\]/);
  });

  it('`scan import payments-prod` with a Prowler OCSF file posts the summary in the chat', async () => {
    h = await startTeamsHarness({ scans: ports, slack: false });
    const carla = h.teams.personalChatOf(AAD.carla).id;
    const since = h.teams.requests.length;
    await h.sender.message({ from: AAD.carla, text: 'scan import payments-prod', files: [{ name: 'output.ocsf.json', content: readFileSync(PROWLER_OCSF) }] });
    await h.teams.waitFor((r) => r.seq >= since && r.operation === 'updateActivity' && /Imported results for payments-prod: 2 failing of 5 findings/.test(JSON.stringify(r.body)), {
      description: 'the import summary',
    });
    expect(h.teams.messages(carla).some((m) => /Imported results for payments-prod/.test(shown(m)))).toBe(true);
    expect(h.teams.requests.filter((r) => r.operation === 'fileDownload' && r.status === 200).length).toBeGreaterThan(0);
  });
});

describe('which file links Warden fetches on Teams', () => {
  const service = 'https://smba.trafficmanager.net/emea/';
  it('fetches OneDrive/SharePoint links and links on the activity’s own connector only', () => {
    expect(isTeamsFileUrl('https://contoso-my.sharepoint.com/personal/ana/_layouts/download.aspx?x=1', service)).toBe(true);
    expect(isTeamsFileUrl('https://contoso.sharepoint.us/sites/a/f.json', service)).toBe(true);
    expect(isTeamsFileUrl('http://127.0.0.1:4100/files/a/f.json', 'http://127.0.0.1:4100/')).toBe(true);
    // A crafted attachment must not make Warden reach internal addresses or other hosts.
    expect(isTeamsFileUrl('http://169.254.169.254/latest/meta-data/iam/security-credentials/', service)).toBe(false);
    expect(isTeamsFileUrl('http://contoso-my.sharepoint.com/f.json', service)).toBe(false);
    expect(isTeamsFileUrl('https://sharepoint.com.evil.example/f.json', service)).toBe(false);
    expect(isTeamsFileUrl('not a url', service)).toBe(false);
  });

  it('keeps the connector an attachment came with', () => {
    const files = filesOf({
      serviceUrl: service,
      attachments: [{ contentType: FILE_DOWNLOAD_INFO, name: 'out.json', content: { downloadUrl: 'https://contoso-my.sharepoint.com/f' } }, { contentType: 'image/png', content: {} }],
    });
    expect(files).toEqual([{ name: 'out.json', downloadUrl: 'https://contoso-my.sharepoint.com/f', serviceUrl: service }]);
  });
});
