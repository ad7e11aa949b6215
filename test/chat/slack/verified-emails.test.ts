import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackVerifiedEmails } from '../../../src/chat/slack/context.js';
import { startWardenHarness, type WardenHarness } from '../../support/warden-harness.js';

/** The lookup main wires for Identity Center, through the running Bolt app's own client. */
let h: WardenHarness;
beforeAll(async () => {
  h = await startWardenHarness();
});
afterAll(async () => {
  await h.close();
});

describe('Slack verified e-mail (users.info through Bolt’s client)', () => {
  it('answers with the address Slack holds for the member, null when it shows none or the member has not confirmed it, nothing for a non-Slack user', async () => {
    const source = slackVerifiedEmails(h.warden.slack.app.client);
    const ana = h.org.users.find((u) => u.id === 'ana')!;
    expect(await source.verifiedEmail(ana)).toEqual({ email: 'ana@example.com' });
    expect(h.fake.callsTo('users.info').at(-1)?.args).toMatchObject({ user: 'U0ANA' });

    h.fake.addUser({ id: 'U0NOMAIL', name: 'erin' });
    expect(await source.verifiedEmail({ ...ana, id: 'erin', slackId: 'U0NOMAIL' })).toEqual({ email: null });

    h.fake.addUser({ id: 'U0UNCONF', name: 'frank', email: 'frank@example.com', emailConfirmed: false });
    expect(await source.verifiedEmail({ ...ana, id: 'frank', slackId: 'U0UNCONF' })).toEqual({ email: null });

    const { slackId: _dropped, ...teamsOnly } = ana;
    expect(await source.verifiedEmail(teamsOnly)).toBeUndefined();
  });
});
