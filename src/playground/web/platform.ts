import type { LiveEvent, OrgInfo, OrgPerson } from '../api-types.js';

/**
 * One chat platform's tab. The shell (user switcher, AWS and audit panels, live updates) is shared;
 * Slack is the first tab, and Teams becomes a second implementation of this interface.
 */
export interface PlatformTab {
  readonly id: string;
  readonly label: string;
  /** Builds the tab's UI into its container, once. */
  mount(container: HTMLElement, org: OrgInfo): void;
  /** The person the page now acts as (the user switcher changed). */
  actAs(person: OrgPerson): Promise<void>;
  /** A live event arrived; the tab refetches what it shows if the event concerns it. */
  onLiveEvent(event: LiveEvent): void;
  /** Fetch everything again (after a reconnect). */
  refresh(): Promise<void>;
}
