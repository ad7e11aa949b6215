import type { ScanFinding } from '../../scans/normalize/scan-finding.js';
import type { Scan } from '../../scans/scan.js';
import type { DetailsPage, PracticeGroup } from '../../scans/store.js';
import type { WafrCatalog } from '../../scans/wafr/catalog.js';
import { TOOL_LABELS, type Severity } from '../../scans/finding.js';
import { code, literal, type Card, type CardBlock } from './model.js';
import { detailsValue, fixAccessValue, type ScanAction } from './scan-message.js';

/** How much one Details page lists, on every platform. */
export const DETAILS_PAGE = { practicesPerPage: 3, findingsPerPractice: 5 } as const;

const SEVERITY_DOT: Record<Severity, string> = { critical: '🟣', high: '🔴', medium: '🟠', low: '🟡', informational: '⚪' };

/** What marks a best practice or finding whose mapping the Bedrock classifier suggested. */
export const AI_MARK = '(mapped by AI)';
export const AI_NOTE = `🤖 Best practices marked ${AI_MARK} were suggested by the AI classifier for findings no tool or catalog mapping covers: treat them as suggestions, not facts from the tools.`;

const byAi = (f: Pick<ScanFinding, 'mappedBy'>): boolean => f.mappedBy === 'ai';

function findingLine(f: ScanFinding, markAi: boolean): string {
  const where = f.region && f.region !== 'global' ? ` (${literal(f.region)})` : '';
  const tools = f.tools.map((t) => TOOL_LABELS[t]).join(', ');
  const ai = markAi && byAi(f) ? ` ${AI_MARK}` : '';
  return `- ${SEVERITY_DOT[f.severity]} ${code(f.resource || 'account')}${where} — ${code(f.checkId)} · ${tools}${ai}`;
}

function groupText(group: PracticeGroup, catalog: WafrCatalog): { text: string; ai: boolean } {
  const practice = group.practiceId ? catalog.practice(group.practiceId) : undefined;
  // A practice all of whose listed findings the AI mapped is marked once; a mixed one marks its AI findings.
  const allAi = group.practiceId !== null && group.findings.length > 0 && group.findings.every(byAi);
  const someAi = group.practiceId !== null && group.findings.some(byAi);
  const title = group.practiceId ? `\`${group.practiceId}\`${allAi ? ` ${AI_MARK}` : ''} ${literal(practice?.title ?? '')}` : 'Not mapped to a best practice';
  const more = group.total > group.findings.length ? `\n…and ${group.total - group.findings.length} more` : '';
  const lines = group.findings.map((f) => findingLine(f, someAi && !allAi)).join('\n');
  return { text: `**${title}** — ${group.total} failing\n${lines}${more}`, ai: someAi };
}

/** Failing findings grouped by best practice, posted in the summary's thread, one page per click. */
export function scanDetailsMessage(scan: Scan, page: DetailsPage, catalog: WafrCatalog): Card {
  const blocks: CardBlock[] = [{ type: 'context', text: `Failing findings of scan \`${scan.id}\` (${literal(scan.accountName)}) by best practice — page ${page.page + 1}` }];
  let aiShown = false;
  for (const group of page.groups) {
    const { text, ai } = groupText(group, catalog);
    aiShown ||= ai;
    blocks.push({ type: 'text', text });
  }
  if (page.groups.length === 0) blocks.push({ type: 'text', text: 'No more failing findings.' });
  if (aiShown) blocks.push({ type: 'context', text: AI_NOTE });
  const buttons: ScanAction[] = [];
  if (page.hasMore) buttons.push({ id: 'scan.details', label: 'More', value: detailsValue({ scanId: scan.id, page: page.page + 1 }) });
  const first = page.groups.find((g) => g.practiceId);
  if (first?.practiceId) buttons.push({ id: 'scan.fix_access', label: `Request fix access (${first.practiceId})`, value: fixAccessValue(scan.id, first.practiceId, page.page) });
  if (buttons.length > 0) blocks.push({ type: 'actions', actions: buttons });
  return { fallback: `Failing findings of scan ${scan.id}, page ${page.page + 1}`, blocks };
}
