import { SEVERITIES, type Severity } from '../../scans/finding.js';
import type { PillarScore, Scan, ScanSummary } from '../../scans/scan.js';
import { PILLARS, type WafrCatalog } from '../../scans/wafr/catalog.js';
import { literal, type Card, type CardBlock } from './model.js';
import { detailsValue, fixAccessValue, type ScanAction } from './scan-message.js';
import { AI_MARK } from './scan-details.js';
import { toolLine } from './scan-progress.js';

const SEVERITY_LABEL: Record<Severity, string> = {
  critical: '🟣 Critical',
  high: '🔴 High',
  medium: '🟠 Medium',
  low: '🟡 Low',
  informational: '⚪ Info',
};

const BAR_WIDTH = 10;
const TOP_PRACTICES = 5;

/** "████████░░" for 0.8: a bar people read at a glance on any client. */
export function bar(ratio: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, ratio)) * BAR_WIDTH);
  return '█'.repeat(filled) + '░'.repeat(BAR_WIDTH - filled);
}

/** A pillar's score: the share of its checked findings that pass; undefined when nothing was checked. */
export function pillarScore(score: Pick<PillarScore, 'pass' | 'fail'>): number | undefined {
  const total = score.pass + score.fail;
  return total === 0 ? undefined : score.pass / total;
}

function pillarLines(summary: ScanSummary): string {
  const width = Math.max(...PILLARS.map((p) => p.label.length));
  return PILLARS.map((p) => {
    const score = summary.pillars.find((s) => s.pillar === p.id) ?? { pass: 0, fail: 0 };
    const ratio = pillarScore(score);
    const label = p.label.padEnd(width);
    if (ratio === undefined) return `\`${label} ${'·'.repeat(BAR_WIDTH)}   –\` no findings`;
    const percent = `${Math.round(ratio * 100)}%`.padStart(4);
    return `\`${label} ${bar(ratio)} ${percent}\` ${score.fail} failing`;
  }).join('\n');
}

function severityFields(summary: ScanSummary) {
  // Informational findings are counted but only shown when there are failing ones.
  const shown = SEVERITIES.filter((s) => s !== 'informational' || summary.bySeverity.informational.fail > 0);
  return shown.map((s) => ({ label: SEVERITY_LABEL[s], value: `${summary.bySeverity[s].fail} failing · ${summary.bySeverity[s].pass} passing` }));
}

function deltaLine(summary: ScanSummary): string {
  const d = summary.delta;
  if (!d) return '**Since the last scan:** this is the first scan of this account.';
  return `**Since the last scan** (${d.previousAt.slice(0, 16).replace('T', ' ')} UTC): 🆕 ${d.new} new · ✅ ${d.resolved} resolved · ⏳ ${d.stillFailing} still failing`;
}

export interface SummaryCardContext {
  catalog: WafrCatalog;
  requestedByName: string;
  /** Whether AI classification of unmapped findings is configured (a summary with `ai` implies it). */
  classifierConfigured?: boolean;
}

/** The scan's result: counts by severity, pillar scores, top failing best practices, delta, buttons. */
export function scanSummaryMessage(scan: Scan, summary: ScanSummary, ctx: SummaryCardContext): Card {
  const failing = summary.byStatus.fail;
  const what = scan.source === 'import' ? 'Imported results for' : 'Scan of';
  const blocks: CardBlock[] = [
    { type: 'header', text: `${what} ${scan.accountName}: ${failing} failing of ${summary.findings} findings` },
    { type: 'context', text: `Started by ${literal(ctx.requestedByName)} · ${toolLine(scan)} · scan \`${scan.id}\`` },
    { type: 'fields', fields: severityFields(summary) },
    { type: 'text', text: `**Well-Architected pillars** (share of checked findings that pass)\n${pillarLines(summary)}` },
  ];
  if (summary.topPractices.length > 0) {
    const lines = summary.topPractices.slice(0, TOP_PRACTICES).map((p) => {
      const practice = ctx.catalog.practice(p.id);
      return `- \`${p.id}\`${p.ai ? ` ${AI_MARK}` : ''} ${literal(practice?.title ?? '')} — ${p.failing} failing`;
    });
    blocks.push({ type: 'text', text: `**Top failing best practices**\n${lines.join('\n')}` });
  } else {
    blocks.push({ type: 'text', text: failing === 0 ? '🎉 Nothing is failing.' : '**Top failing best practices:** none of the failing findings maps to a best practice.' });
  }
  blocks.push({ type: 'text', text: deltaLine(summary) });
  const notes: string[] = [];
  if (summary.ai && summary.ai.classified > 0) {
    // Marked apart from the deterministic mapping: a model's reading is a suggestion, not a fact from the tools.
    const marked = summary.topPractices.slice(0, TOP_PRACTICES).some((p) => p.ai) ? ` Best practices marked ${AI_MARK} come only from it: suggestions, not facts from the tools.` : '';
    notes.push(`🤖 ${summary.ai.classified} finding(s) mapped to best practices by AI (${literal(summary.ai.modelId)}), not by the tools' mappings.${marked}`);
  }
  // A stored summary with an `ai` part was classified, whatever the context of the re-render knows.
  const configured = summary.ai !== undefined || ctx.classifierConfigured === true;
  if (summary.unmappedFailing > 0) {
    notes.push(`${summary.unmappedFailing} failing finding(s) not mapped to a best practice${configured ? '' : ' (AI classification is not configured)'}.`);
  }
  if (summary.ai?.note) notes.push(literal(summary.ai.note));
  if (summary.problems.total > 0) {
    notes.push(`⚠️ ${summary.problems.total} problem(s) reading the results; the valid findings were kept. ${summary.problems.examples.slice(0, 3).map(literal).join(' · ')}`);
  }
  if (notes.length > 0) blocks.push({ type: 'context', text: notes.join('\n') });

  const buttons: ScanAction[] = [];
  if (failing > 0) buttons.push({ id: 'scan.details', label: 'Details', value: detailsValue({ scanId: scan.id, page: 0 }), style: 'primary' });
  const top = summary.topPractices[0];
  if (top) buttons.push({ id: 'scan.fix_access', label: 'Request fix access', value: fixAccessValue(scan.id, top.id) });
  if (buttons.length > 0) blocks.push({ type: 'actions', actions: buttons });
  return {
    fallback: `${what} ${scan.accountName}: ${failing} failing of ${summary.findings} findings (critical ${summary.bySeverity.critical.fail}, high ${summary.bySeverity.high.fail}).`,
    blocks,
  };
}

/** A short line per scan, for `/scan status` and `/scan last`. */
export function scanLine(scan: Scan): string {
  const when = (scan.finishedAt ?? scan.createdAt).slice(0, 16).replace('T', ' ');
  const result = scan.summary ? `${scan.summary.byStatus.fail} failing of ${scan.summary.findings}` : scan.state;
  return `\`${scan.id}\` **${literal(scan.accountName)}** — ${result} (${when} UTC)`;
}
