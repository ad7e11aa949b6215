import type { Card } from './model.js';

export function accessHelpCard(): Card {
  const text = [
    '**Ask in plain words.** DM me or mention me, e.g. _"I need read access to the billing-reports S3 bucket for 2 hours to debug the export"_. I draft a least-privilege request and ask when something is missing.',
    '',
    '**Commands**',
    '- `/access request`: fill in a form instead',
    '- `/access list`: your recent requests',
    '- `/access status <id>`: one request, with its approvals and expiry',
    '- `/access cancel <id>`: withdraw a draft or a pending request',
    '- `/access ssh <instance-id or Name> [account] [why]`: a Session Manager shell on an EC2 instance',
    '- `/access release <id>`: end active access before it expires',
    '- `/access help`: this message',
    '- `/run <instance-id or Name> [account] <why> -- <command>`: one command on one instance, run by Warden once approved (`/run help`)',
    '',
    'Approvers get a card with Approve / Deny. Access ends by itself at expiry.',
  ].join('\n');
  return { fallback: 'Warden help: /access request | list | status <id> | cancel <id> | release <id> | help', blocks: [{ type: 'header', text: 'Warden: temporary AWS access' }, { type: 'text', text }] };
}
