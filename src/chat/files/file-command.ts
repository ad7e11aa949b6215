import type { PolicyKind } from '../../store/store.js';

/** What a message sent with a file asks for: the words beside the upload, parsed. */
export type FileCommand = { kind: 'policy-set'; policy: PolicyKind } | { kind: 'scan-import'; account?: string };

/** Most a policy file may be: far above any real guardrails or rules file, far below what hurts memory. */
export const POLICY_FILE_MAX_BYTES = 256 * 1024;
/** Most a scan result file may be: large outputs are streamed, never held whole. */
export const SCAN_FILE_MAX_BYTES = 1024 * 1024 * 1024;

export const FILE_COMMANDS_HELP =
  'Send the file with one of these messages: `guardrails set` or `rules set` (admins: apply it as the new guardrails.yaml or access-rules.yaml), or `scan import [account]` (a Prowler, Custodian or CloudSploit output file).';

/** Platform mentions (Slack `<@U123>`, Teams `<at>Warden</at>`) and a leading slash are not part of the words. */
function words(text: string): string[] {
  return text
    .replace(/<@[A-Z0-9]+>/g, ' ')
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .trim()
    .replace(/^\/(warden|scan)\s+/i, (_m, name: string) => (name.toLowerCase() === 'scan' ? 'scan ' : ''))
    .split(/\s+/)
    .filter(Boolean);
}

/** `guardrails set`, `rules set`, `scan import [account]` (also as `/warden guardrails set`, `/scan import`); anything else is undefined. */
export function parseFileCommand(text: string): FileCommand | undefined {
  const [first = '', second = '', ...rest] = words(text).map((w, i) => (i < 2 ? w.toLowerCase() : w));
  if (second === 'set' && rest.length === 0) {
    if (first === 'guardrails') return { kind: 'policy-set', policy: 'guardrails' };
    if (first === 'rules') return { kind: 'policy-set', policy: 'access-rules' };
  }
  if (first === 'scan' && second === 'import' && rest.length <= 1) return rest[0] ? { kind: 'scan-import', account: rest[0] } : { kind: 'scan-import' };
  return undefined;
}
