import { escapeAttr, escapeHtml } from '../block-kit/index.js';
import type { OrgPerson } from '../api-types.js';

/** "Ben Okafor — approver (payments-prod, sandbox)"; "Ana Lima — requester". */
export function personLabel(person: OrgPerson): string {
  const role = person.role === 'approver' ? `approver (${person.approves.join(', ')})` : 'requester';
  return `${person.name} — ${role}`;
}

/** The options of the "Acting as" select; people without a Slack id are listed but cannot be chosen. */
export function renderPeopleOptions(people: readonly OrgPerson[], selected: string | undefined): string {
  return people
    .map((person) => {
      const value = person.slackId ?? '';
      const disabled = person.slackId ? '' : ' disabled';
      const label = person.slackId ? personLabel(person) : `${person.name} — no Slack id in org.yaml`;
      return `<option value="${escapeAttr(value)}"${value === selected ? ' selected' : ''}${disabled}>${escapeHtml(label)}</option>`;
    })
    .join('');
}

/** Who the page acts as first: `?as=U…` when given, else the first requester (the flow starts with them). */
export function initialPerson(people: readonly OrgPerson[], requested: string | null): OrgPerson | undefined {
  const usable = people.filter((p) => p.slackId);
  return usable.find((p) => p.slackId === requested) ?? usable.find((p) => p.role === 'requester') ?? usable[0];
}
