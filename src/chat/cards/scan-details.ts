import type { ScanFinding } from '../../scans/normalize/scan-finding.js';
import type { Scan } from '../../scans/scan.js';
import type { DetailsPage } from '../../scans/store.js';
import type { WafrCatalog } from '../../scans/wafr/catalog.js';
import { TOOL_LABELS, type Severity } from '../../scans/finding.js';
import { code, literal, type CardBlock } from './model.js';
import { detailsValue, fixAccessValue, type ScanMessage } from './scan-message.js';

const SEVERITY_DOT: Record<Severity, string> = { critical: '🟣', high: '🔴', medium: '🟠', low: '🟡', informational: '⚪' };


function findingLine(f: ScanFinding): string {
  const where = f.region && f.region !== 'global' ? ` (${literal(f.region)})` : '';
  const tools = f.tools.map((t) => TOOL_LABELS[t]).join(', ');
  return `- ${SEVERITY_DOT[f.severity]} ${code(f.resource || 'account')}${where} — ${code(f.checkId)} · ${tools}`;
}

/** Failing findings grouped by best practice, posted in the summary's thread, one page per click. */
export function scanDetailsMessage(scan: Scan, page: DetailsPage, catalog: WafrCatalog): ScanMessage {
  const blocks: CardBlock[] = [{ type: 'context', text: `Failing findings of scan \`${scan.id}\` (${literal(scan.accountName)}) by best practice — page ${page.page + 1}` }];
  for (const group of page.groups) {
    const practice = group.practiceId ? catalog.practice(group.practiceId) : undefined;
    const title = group.practiceId ? `\`${group.practiceId}\` ${literal(practice?.title ?? '')}` : 'Not mapped to a best practice';
    const more = group.total > group.findings.length ? `\n…and ${group.total - group.findings.length} more` : '';
    blocks.push({ type: 'text', text: `**${title}** — ${group.total} failing\n${group.findings.map(findingLine).join('\n')}${more}` });
  }
  if (page.groups.length === 0) blocks.push({ type: 'text', text: 'No more failing findings.' });
  const buttons: ScanMessage['buttons'] = [];
  if (page.hasMore) buttons.push({ id: 'scan.details', label: 'More', value: detailsValue({ scanId: scan.id, page: page.page + 1 }) });
  const first = page.groups.find((g) => g.practiceId);
  if (first?.practiceId) buttons.push({ id: 'scan.fix_access', label: `Request fix access (${first.practiceId})`, value: fixAccessValue(scan.id, first.practiceId) });
  return {
    card: { fallback: `Failing findings of scan ${scan.id}, page ${page.page + 1}`, blocks },
    buttons,
  };
}
