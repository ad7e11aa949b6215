import { escapeAttr, escapeHtml } from '../block-kit/index.js';
import type { OrgInfo, OrgPerson } from '../api-types.js';
import { api } from './api-client.js';
import { required, setHtml } from './dom.js';
import { Inspector } from './inspector/inspector.js';
import { connectLive } from './live.js';
import { initialPerson, renderPeopleOptions } from './people-switcher.js';
import type { PlatformTab } from './platform.js';
import { SlackTab } from './slack/slack-tab.js';
import { TeamsTab } from './teams/teams-tab.js';

function shell(org: OrgInfo, tabs: readonly PlatformTab[], person: OrgPerson | undefined): string {
  const tabButtons = tabs
    .map((tab, i) => `<button type="button" role="tab" class="topbar__tab" data-platform="${escapeAttr(tab.id)}" aria-selected="${i === 0}">${escapeHtml(tab.label)}</button>`)
    .join('');
  return `
<header class="topbar">
  <div class="topbar__brand"><span class="topbar__logo" aria-hidden="true">W</span><span>Warden playground</span></div>
  <nav class="topbar__tabs" role="tablist" aria-label="Chat platform">${tabButtons}</nav>
  <span class="topbar__note">Local emulation · fake ${org.platforms.some((p) => p.id === 'teams') ? 'Slack and Teams' : 'Slack'} · dry-run AWS · no credentials</span>
  <label class="topbar__actor">Acting as
    <select id="acting-user" class="topbar__select">${renderPeopleOptions(org.people, person?.slackId ?? undefined)}</select>
  </label>
</header>
<main class="workspace">
  ${tabs.map((tab, i) => `<div class="workspace__platform" role="tabpanel" data-platform-panel="${escapeAttr(tab.id)}"${i === 0 ? '' : ' hidden'}></div>`).join('')}
  <aside class="inspector" aria-label="What Warden did"></aside>
</main>`;
}

/**
 * The page: a platform tab per chat platform (Slack, and Teams when it runs), the "Acting as"
 * switcher over the sample org, and the AWS and audit panels, all kept current by the server's live
 * events.
 */
export async function startPage(root: HTMLElement): Promise<void> {
  const org = await api.org();
  const tabs: PlatformTab[] = [new SlackTab(), ...(org.platforms.some((p) => p.id === 'teams') ? [new TeamsTab()] : [])];
  const params = new URLSearchParams(window.location.search);
  let person = initialPerson(org.people, params.get('as'));

  setHtml(root, shell(org, tabs, person));
  root.removeAttribute('aria-busy');
  for (const tab of tabs) tab.mount(required(root, `[data-platform-panel="${tab.id}"]`, HTMLElement), org);
  const inspector = new Inspector(required(root, '.inspector', HTMLElement));

  // Each platform is a tab: its own panel, the same switcher and side panel.
  root.querySelector('.topbar__tabs')?.addEventListener('click', (event) => {
    const chosen = event.target instanceof Element ? event.target.closest('[data-platform]')?.getAttribute('data-platform') : null;
    if (!chosen) return;
    for (const tab of root.querySelectorAll('[data-platform]')) tab.setAttribute('aria-selected', String(tab.getAttribute('data-platform') === chosen));
    for (const panel of root.querySelectorAll<HTMLElement>('[data-platform-panel]')) panel.hidden = panel.getAttribute('data-platform-panel') !== chosen;
  });

  const switcher = required(root, '#acting-user', HTMLSelectElement);
  const actAs = async (next: OrgPerson) => {
    person = next;
    const url = new URL(window.location.href);
    url.searchParams.set('as', next.slackId ?? '');
    window.history.replaceState(null, '', url);
    document.body.dataset['actingAs'] = next.slackId ?? '';
    await Promise.all(tabs.map((tab) => tab.actAs(next)));
  };
  switcher.addEventListener('change', () => {
    const next = org.people.find((p) => p.slackId === switcher.value);
    if (next) void actAs(next);
  });

  connectLive({
    onEvent: (event) => {
      for (const tab of tabs) tab.onLiveEvent(event);
      if (event.type === 'audit') void inspector.refresh();
    },
    onResync: () => {
      for (const tab of tabs) void tab.refresh();
      void inspector.refresh();
    },
  });
  if (person) await actAs(person);
  await inspector.refresh();
  // Lets tests and the screenshot script wait for a page that has everything on screen.
  document.body.dataset['ready'] = 'true';
}
