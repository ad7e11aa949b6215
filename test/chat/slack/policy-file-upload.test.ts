import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FILE_DOWNLOAD_METHOD } from '../../../src/playground/fake-slack/index.js';
import { SLACK, startWardenHarness, type WardenHarness } from '../../support/warden-harness.js';

let h: WardenHarness;

beforeEach(async () => {
  h = await startWardenHarness();
});

afterEach(async () => {
  await h.close();
});

const GUARDRAILS = readFileSync('examples/guardrails.yaml', 'utf8');
const FREEZE_SQS = '# Frozen until the queue migration is done (PLAT-311).\ndeniedActions:\n  - actions: ["sqs:*"]\n    reason: "queues are frozen during the migration"\n    wayOut: "ask in #platform"\n';
const FROZEN = GUARDRAILS.replace('deniedActions:\n', FREEZE_SQS);

/** `user` uploads a file in their DM with Warden, with `text` beside it; returns the DM channel and the message ts. */
async function upload(user: string, name: string, content: string, text: string): Promise<{ channel: string; ts: string; since: number }> {
  const file = h.fake.putFile({ user, name, content, mimetype: 'text/yaml' });
  const since = h.fake.calls.length;
  const { message } = await h.sender.fileShare({ user, text, files: [file.id] });
  return { channel: message.channel, ts: message.ts, since };
}

/** What Warden said back in the upload's thread, to everyone there or to the uploader only. */
async function answer(at: { channel: string; ts: string; since: number }, pattern: RegExp): Promise<string> {
  const call = await h.fake.waitFor(
    (c) =>
      c.seq >= at.since &&
      (c.method === 'chat.postMessage' || c.method === 'chat.postEphemeral') &&
      c.args['channel'] === at.channel &&
      c.args['thread_ts'] === at.ts &&
      pattern.test(JSON.stringify(c.args)),
    { description: `an answer in the upload's thread matching ${pattern}` },
  );
  return JSON.stringify(call.args);
}

async function command(user: string, text: string, expected: RegExp): Promise<string> {
  const since = h.fake.calls.length;
  await h.sender.command('/warden', text, { user });
  const call = await h.fake.waitFor((c) => c.seq >= since && c.method === 'response_url' && expected.test(JSON.stringify(c.args)), {
    description: `a /warden ${text} response matching ${expected}`,
  });
  return JSON.stringify(call.args);
}

describe('guardrails set with an uploaded file', () => {
  it('an admin applies a commented file too long for the form; the audit says who; rollback restores the previous one', async () => {
    expect(FROZEN.length).toBeGreaterThan(3000);
    const at = await upload(SLACK.dave, 'guardrails.yaml', FROZEN, 'guardrails set');
    expect(await answer(at, /Guardrails version 1 applied/)).toMatch(/changed deniedActions/);

    // Stored as uploaded, comments and all.
    const stored = await h.store.getLatestPolicyVersion('guardrails');
    expect(stored?.text).toBe(FROZEN);
    expect(stored?.text).toContain('# Frozen until the queue migration is done (PLAT-311).');
    const audit = (await h.store.listAudit()).filter((e) => e.type === 'policy.changed');
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorId: 'dave', detail: { kind: 'guardrails', version: 1, previousVersion: 0, sections: ['deniedActions'] } });

    // The same file again changes nothing.
    const again = await upload(SLACK.dave, 'guardrails.yaml', FROZEN, 'guardrails set');
    expect(await answer(again, /nothing changed/)).toMatch(/exactly the guardrails in force \(version 1, applied by dave/);
    expect((await h.store.listAudit()).filter((e) => e.type === 'policy.changed')).toHaveLength(1);

    const shown = await command(SLACK.ana, 'guardrails', /in force/);
    expect(shown).toMatch(/version 1, applied by dave/);
    expect(shown).toContain('sqs:*');

    // The download carried the bot token, and nothing else fetched the file.
    const downloads = h.fake.callsTo(FILE_DOWNLOAD_METHOD);
    expect(downloads).toHaveLength(2);
    expect(downloads[0]!.args).toMatchObject({ authorized: true });
    expect(h.logger.lines.map((e) => JSON.stringify(e)).join('\n')).not.toContain(h.fake.botToken);

    expect(await command(SLACK.dave, 'guardrails rollback', /version 2 applied/)).toMatch(/back to version 0/);
    const after = await command(SLACK.ana, 'guardrails', /in force/);
    expect(after).toMatch(/version 2, applied by dave .*restoring version 0/);
    expect(after).not.toContain('sqs:*');
    expect((await h.store.getLatestPolicyVersion('guardrails'))?.text).not.toContain('PLAT-311');
  });

  it('a non-admin’s upload is refused before anything is downloaded, and nothing changes', async () => {
    const at = await upload(SLACK.ana, 'guardrails.yaml', FROZEN, 'guardrails set');
    expect(await answer(at, /Only Warden admins/)).toMatch(/Only Warden admins can change the guardrails/);
    expect(h.fake.callsTo(FILE_DOWNLOAD_METHOD)).toHaveLength(0);
    expect(await h.store.getLatestPolicyVersion('guardrails')).toBeUndefined();
    expect((await h.store.listAudit()).filter((e) => e.type.startsWith('policy.'))).toHaveLength(0);
  });

  it('an invalid file is refused naming the field and line, and nothing changes', async () => {
    const broken = FROZEN.replace('maxMinutes: 480', 'maxMinutes: lots');
    const at = await upload(SLACK.dave, 'guardrails.yaml', broken, 'guardrails set');
    const refusal = await answer(at, /not applied/);
    expect(refusal).toMatch(/guardrails\.yaml was not applied; nothing changed/);
    expect(refusal).toMatch(/line \d+: durations\.maxMinutes: /);
    expect(await h.store.getLatestPolicyVersion('guardrails')).toBeUndefined();
    expect((await h.store.listAudit()).filter((e) => e.type.startsWith('policy.'))).toHaveLength(0);
  });

  it('a file over the policy size cap is refused without downloading it', async () => {
    const huge = `${FROZEN}\n${'# padding to make the file too large\n'.repeat(8000)}`;
    const at = await upload(SLACK.dave, 'guardrails.yaml', huge, 'guardrails set');
    expect(await answer(at, /larger than/)).toMatch(/guardrails\.yaml` is larger than 256 KB/);
    expect(h.fake.callsTo(FILE_DOWNLOAD_METHOD)).toHaveLength(0);
    expect(await h.store.getLatestPolicyVersion('guardrails')).toBeUndefined();
  });

  it('rules set applies access rules; the new admin can then act', async () => {
    const rules = readFileSync('examples/access-rules.yaml', 'utf8').replace('groups: [platform]\n', 'groups: [platform]\n  users: [ana]\n');
    const at = await upload(SLACK.dave, 'access-rules.yaml', rules, '<@U0FAKEBOT> rules set');
    expect(await answer(at, /Access rules version 1 applied/)).toMatch(/changed admins/);
    expect((await h.store.getLatestPolicyVersion('access-rules'))?.text).toBe(rules);
    const byAna = await upload(SLACK.ana, 'guardrails.yaml', FROZEN, 'guardrails set');
    expect(await answer(byAna, /Guardrails version 1 applied/)).toBeTruthy();
  });

  it('a file with other words in a DM gets told what Warden does with files; /warden guardrails set says how to upload', async () => {
    const at = await upload(SLACK.dave, 'guardrails.yaml', FROZEN, 'here you go');
    expect(await answer(at, /can't tell what to do/)).toMatch(/guardrails set.*rules set.*scan import/);
    expect(await h.store.getLatestPolicyVersion('guardrails')).toBeUndefined();

    const since = h.fake.calls.length;
    await h.sender.command('/warden', 'guardrails set', { user: SLACK.dave });
    const opened = await h.fake.waitFor((c) => c.seq >= since && c.method === 'views.open');
    expect(JSON.stringify(opened.args)).toMatch(/upload guardrails\.yaml to me in a DM with the message `guardrails set`/);
  });
});
