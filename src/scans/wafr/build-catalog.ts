import { z } from 'zod';
import { PILLARS, type CatalogData, type CatalogPractice, type CatalogQuestion, type PillarId } from './catalog-types.js';

/**
 * Builds the Well-Architected catalog from its two public sources (run by generate-catalog.ts; the
 * result is committed as catalog-data.ts, and a test checks it still equals what these sources give):
 *
 * - the Well-Architected Tool's question set, all six pillars (trackit/wafr-automation-tool,
 *   scripts/questions, Apache-2.0): pillars → questions → best practices, by the Tool's choice ids;
 * - Prowler's Well-Architected compliance files (prowler/compliance/aws, Apache-2.0), which give the
 *   "SEC01-BP01" ids for the choice ids they cover, and the Prowler checks for each.
 *
 * Question ids (SEC01…) are the question's position in its pillar, as the framework numbers them;
 * the test checks this against every question id Prowler's files give. Best-practice ids are not
 * positional (the framework renumbers them between versions), so a best practice has a "SECnn-BPnn"
 * id only where Prowler's files link its choice id, and is known by the Tool's choice id otherwise.
 */

const RiskSchema = z.enum(['High', 'Medium', 'Low']);

const ToolQuestionsSchema = z.record(
  z.string(),
  z.object({
    primaryId: z.string(),
    label: z.string(),
    questions: z.record(
      z.string(),
      z.object({
        primaryId: z.string(),
        label: z.string(),
        bestPractices: z.record(z.string(), z.object({ primaryId: z.string(), label: z.string(), risk: RiskSchema })),
      }),
    ),
  }),
);

const ProwlerComplianceSchema = z.object({
  Framework: z.string(),
  Requirements: z.array(
    z.object({
      Id: z.string().regex(/^[A-Z]{3,4}\d{2}-BP\d{2}$/),
      Attributes: z
        .array(
          z.object({
            Name: z.string(),
            WellArchitectedQuestionId: z.string(),
            WellArchitectedPracticeId: z.string(),
            LevelOfRisk: RiskSchema,
          }),
        )
        .min(1),
      Checks: z.array(z.string()),
    }),
  ),
});

const PREFIX: Record<PillarId, string> = Object.fromEntries(PILLARS.map((p) => [p.id, p.prefix])) as Record<PillarId, string>;

function byIndex<T>(record: Record<string, T>): T[] {
  return Object.entries(record)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, value]) => value);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

export function buildCatalog(toolQuestions: unknown, prowlerFiles: unknown[]): CatalogData {
  const tool = ToolQuestionsSchema.parse(toolQuestions);
  const prowler = prowlerFiles.map((f) => ProwlerComplianceSchema.parse(f));

  const questions: CatalogQuestion[] = [];
  const questionByToolId = new Map<string, CatalogQuestion>();
  const practices: CatalogPractice[] = [];
  const practiceByChoice = new Map<string, CatalogPractice>();

  for (const pillar of byIndex(tool)) {
    const pillarId = PILLARS.find((p) => p.id === pillar.primaryId)?.id;
    if (!pillarId) throw new Error(`Unknown pillar ${pillar.primaryId} in the Well-Architected Tool's questions.`);
    byIndex(pillar.questions).forEach((q, qi) => {
      const question: CatalogQuestion = { id: `${PREFIX[pillarId]}${pad(qi + 1)}`, toolId: q.primaryId, pillar: pillarId, title: q.label };
      questions.push(question);
      questionByToolId.set(q.primaryId, question);
      for (const bp of byIndex(q.bestPractices)) {
        const practice: CatalogPractice = { id: bp.primaryId, choiceId: bp.primaryId, question: question.id, title: bp.label, risk: bp.risk, origin: ['wa-tool'] };
        practices.push(practice);
        practiceByChoice.set(bp.primaryId, practice);
      }
    });
  }

  const prowlerChecks: Record<string, string[]> = {};
  for (const file of prowler) {
    for (const req of file.Requirements) {
      const attr = req.Attributes[0]!;
      const question = questionByToolId.get(attr.WellArchitectedQuestionId);
      if (!question) throw new Error(`${file.Framework}: ${req.Id} names question ${attr.WellArchitectedQuestionId}, which the Tool's set does not have.`);
      const known = practiceByChoice.get(attr.WellArchitectedPracticeId);
      if (known) {
        known.id = req.Id;
        known.origin = ['wa-tool', 'prowler'];
      } else {
        // In Prowler's (older) edition of the framework but no longer in the Tool's: keep it, since findings cite it.
        const practice: CatalogPractice = {
          id: req.Id,
          choiceId: attr.WellArchitectedPracticeId,
          question: question.id,
          title: attr.Name.replace(/^[A-Z]{3,4}\d{2}-BP\d{2}\s+/, ''),
          risk: attr.LevelOfRisk,
          origin: ['prowler'],
        };
        practices.push(practice);
        practiceByChoice.set(attr.WellArchitectedPracticeId, practice);
      }
      for (const check of req.Checks) (prowlerChecks[check] ??= []).push(req.Id);
    }
  }

  // Stable order: by question, then SECnn-BPnn ids in number order, then the Tool's order.
  const order = new Map(questions.map((q, i) => [q.id, i]));
  const toolOrder = new Map(practices.map((p, i) => [p, i]));
  practices.sort((a, b) => {
    const byQuestion = order.get(a.question)! - order.get(b.question)!;
    if (byQuestion !== 0) return byQuestion;
    const aNumbered = /-BP\d{2}$/.test(a.id);
    const bNumbered = /-BP\d{2}$/.test(b.id);
    if (aNumbered && bNumbered) return a.id < b.id ? -1 : 1;
    if (aNumbered !== bNumbered) return aNumbered ? -1 : 1;
    return toolOrder.get(a)! - toolOrder.get(b)!;
  });
  for (const check of Object.keys(prowlerChecks)) prowlerChecks[check] = [...new Set(prowlerChecks[check])].sort();
  const sortedChecks = Object.fromEntries(Object.entries(prowlerChecks).sort(([a], [b]) => (a < b ? -1 : 1)));
  return { questions, practices, prowlerChecks: sortedChecks };
}

/** The TypeScript module that holds the built catalog: one entry per line, so a change shows as a small diff. */
export function renderCatalogModule(data: CatalogData): string {
  const list = (items: unknown[]) => `[\n${items.map((i) => `    ${JSON.stringify(i)},`).join('\n')}\n  ]`;
  const checks = Object.entries(data.prowlerChecks).map(([check, ids]) => `    ${JSON.stringify(check)}: ${JSON.stringify(ids)},`);
  return `// Generated by src/scans/wafr/generate-catalog.ts from:
//   - the Well-Architected Tool's question set as of 2025-07-05 (trackit/wafr-automation-tool, scripts/questions, Apache-2.0)
//   - Prowler's compliance files aws_well_architected_framework_{security,reliability}_pillar_aws.json (prowler-cloud/prowler, Apache-2.0)
// Do not edit by hand: change the sources or build-catalog.ts and run the generator again.
import type { CatalogData } from './catalog-types.js';

export const CATALOG_DATA: CatalogData = {
  questions: ${list(data.questions)},
  practices: ${list(data.practices)},
  prowlerChecks: {
${checks.join('\n')}
  },
};
`;
}
