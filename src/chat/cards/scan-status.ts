import type { Scan } from '../../scans/scan.js';
import { literal, type Card } from './model.js';
import { toolLine } from './scan-progress.js';
import { scanLine } from './scan-summary.js';

/** `/scan status`: the scans running now, each with a link to its message. */
export function scanStatusCard(active: { scan: Scan; link?: string | undefined; requestedByName: string }[]): Card {
  if (active.length === 0) return { fallback: 'No scan is running.', blocks: [{ type: 'text', text: 'No scan is running. Start one with `/scan <account>`.' }] };
  const lines = active.map(({ scan, link, requestedByName }) => {
    const where = link ? ` — [open](${link})` : '';
    return `- **${literal(scan.accountName)}** (${scan.state}) by ${literal(requestedByName)}: ${toolLine(scan)}${where}`;
  });
  return { fallback: `${active.length} scan(s) running.`, blocks: [{ type: 'text', text: `**Scans running**\n${lines.join('\n')}` }] };
}

/** `/scan last` without an account: the newest finished scans. */
export function recentScansCard(scans: Scan[]): Card {
  if (scans.length === 0) return { fallback: 'No scan yet.', blocks: [{ type: 'text', text: 'No scan has finished yet.' }] };
  return { fallback: 'Recent scans', blocks: [{ type: 'text', text: `**Recent scans**\n${scans.map((s) => `- ${scanLine(s)}`).join('\n')}` }, { type: 'context', text: '`/scan last <account>` shows an account’s last summary.' }] };
}

/** A second scan of an account while one runs is refused, pointing at the running one. */
export function scanBusyCard(scan: Scan, link: string | undefined, requestedByName: string): Card {
  const where = link ? ` [See its progress](${link}).` : '';
  return {
    fallback: `A scan of ${scan.accountName} is already running.`,
    blocks: [{ type: 'text', text: `⏳ A scan of **${literal(scan.accountName)}** is already running (started by ${literal(requestedByName)}, scan \`${scan.id}\`).${where} Wait for it to finish before starting another.` }],
  };
}

export function scanHelpCard(): Card {
  return {
    fallback: 'Warden /scan commands',
    blocks: [
      {
        type: 'text',
        text: [
          '**/scan** runs Prowler, Cloud Custodian and CloudSploit against an AWS account and sums up the results by Well-Architected pillar.',
          '- `/scan <account> [--tools prowler,custodian,cloudsploit] [--region eu-west-1]` starts a scan',
          '- `/scan status` shows the scans running now',
          '- `/scan last [account]` shows the last summary',
          '- `/scan import [account] <path>` reads a Prowler, Custodian or CloudSploit output you ran yourself',
        ].join('\n'),
      },
      { type: 'context', text: 'An account can be scanned by its approvers and by the platform team.' },
    ],
  };
}
