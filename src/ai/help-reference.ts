/**
 * What the help assistant may say about Warden itself: the commands that exist and how a request
 * moves. It mirrors README.md and the `/access help` card (chat/cards/help-card.ts); a test fails
 * when a command is added to the card but not here, so answers never miss or invent one.
 */

export interface CommandHelp {
  /** As typed, with placeholders: "/access status <id>". */
  usage: string;
  does: string;
}

export const ACCESS_COMMANDS: readonly CommandHelp[] = [
  { usage: '/access request', does: 'opens a form: account (and, optionally, more accounts for the same access, one request each), service, access level, resources, duration and reason' },
  { usage: '/access list', does: 'shows your recent requests with their ids and states' },
  { usage: '/access status <id>', does: 'shows one request: what, where, how long, its approvals and when it expires' },
  { usage: '/access cancel <id>', does: 'withdraws a draft or a request that is still waiting for approval' },
  { usage: '/access ssh <instance-id or Name> [account] [why]', does: 'drafts Session Manager access to an EC2 instance, for approval' },
  { usage: '/access release <id>', does: 'ends active access before it expires and revokes it' },
  { usage: '/access help [question]', does: 'shows help; with a question, answers it from this reference and your rules' },
];

/** Warden's other slash commands; an answer may point to them but not to invented ones. */
export const OTHER_COMMANDS: readonly CommandHelp[] = [
  { usage: '/run <instance-id or Name> [account] <why> -- <command>', does: 'asks to run one command on one instance; once approved Warden runs it and posts the output' },
  { usage: '/scan [account]', does: 'starts a security scan of an account (also /scan status, /scan last, /scan import)' },
  { usage: '/warden guardrails', does: 'shows the active guardrails (admins may set or roll them back); /warden rules does the same for access rules' },
];

const OTHER_COMMAND_NAMES: ReadonlySet<string> = new Set(OTHER_COMMANDS.map((c) => c.usage.split(/\s+/)[0]!.toLowerCase()));

const WARDEN_SUBCOMMANDS: readonly string[] = ['guardrails', 'rules'];

/** The words that may follow "/access". */
export const ACCESS_SUBCOMMANDS: readonly string[] = ACCESS_COMMANDS.map((c) => c.usage.split(/\s+/)[1] ?? '').filter((w) => w !== '');

export const HOW_IT_WORKS: readonly string[] = [
  'Ask in plain words: DM Warden or mention it in a channel, e.g. "I need read access to the billing-reports S3 bucket in payments-prod for 2 hours to debug the export". Say what you need to do, on which resource, in which account, for how long and why.',
  'Warden drafts a least-privilege request and asks in the thread when something is missing; answer in the same thread. The draft shows Submit, Edit and Cancel buttons; nothing is requested until you press Submit.',
  'Every draft is checked before it is sent: each action must exist in the IAM catalog, no wildcards, the duration within your limit for the account, and an access rule must let you request access to that account.',
  'After Submit, the approvers your access rule names get a card with Approve and Deny. You never approve your own request, even as a member of an approving group. A denial comes with a reason in your thread.',
  'Once approved, Warden grants the access with an expiry condition in the policy itself and tells you in the thread. It revokes the access at expiry, even if Warden restarted in between.',
  'Every step is recorded in Warden’s audit log.',
];

export function commandsText(): string {
  return [...ACCESS_COMMANDS, ...OTHER_COMMANDS].map((c) => `- \`${c.usage}\`: ${c.does}`).join('\n');
}

const COMMAND_SPAN = /`(\/[^`]*)`/g;
// A slash word not inside a path (/aws/lambda/x) and not glued to a word (and/or).
const BARE_COMMAND = /(?:^|[\s("'])\/([a-z][a-z0-9_-]*)(?=$|[\s.,;:!?)"'])/gi;

/**
 * Commands a text mentions that Warden does not have: any `/word` other than /access and the other
 * commands above, and any
 * `/access x` in code spans whose x is not a subcommand. Used to reject an answer that invents one.
 */
export function unknownCommands(text: string): string[] {
  const unknown = new Set<string>();
  for (const match of text.matchAll(COMMAND_SPAN)) {
    const [name = '', sub] = (match[1] ?? '').trim().split(/\s+/);
    if (name.toLowerCase() === '/warden' && sub !== undefined && !WARDEN_SUBCOMMANDS.includes(sub.toLowerCase())) {
      unknown.add(`/warden ${sub}`);
      continue;
    }
    if (OTHER_COMMAND_NAMES.has(name.toLowerCase())) continue;
    if (name.toLowerCase() !== '/access') unknown.add(name);
    else if (sub !== undefined && !sub.startsWith('<') && !sub.startsWith('[') && !ACCESS_SUBCOMMANDS.includes(sub.toLowerCase())) {
      unknown.add(`/access ${sub}`);
    }
  }
  const outsideSpans = text.replace(COMMAND_SPAN, ' ');
  for (const match of outsideSpans.matchAll(BARE_COMMAND)) {
    const name = (match[1] ?? '').toLowerCase();
    if (name !== 'access' && !OTHER_COMMAND_NAMES.has(`/${name}`)) unknown.add(`/${name}`);
  }
  return [...unknown];
}
