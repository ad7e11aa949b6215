/** The Well-Architected Framework's six pillars, by the Well-Architected Tool's ids. */
export const PILLARS = [
  { id: 'operationalExcellence', label: 'Operational Excellence', prefix: 'OPS' },
  { id: 'security', label: 'Security', prefix: 'SEC' },
  { id: 'reliability', label: 'Reliability', prefix: 'REL' },
  { id: 'performance', label: 'Performance Efficiency', prefix: 'PERF' },
  { id: 'costOptimization', label: 'Cost Optimization', prefix: 'COST' },
  { id: 'sustainability', label: 'Sustainability', prefix: 'SUS' },
] as const;

export type PillarId = (typeof PILLARS)[number]['id'];

export interface CatalogQuestion {
  /** "SEC01": the pillar's prefix and the question's number. */
  id: string;
  /** The Well-Architected Tool's id, e.g. "securely-operate". */
  toolId: string;
  pillar: PillarId;
  title: string;
}

export type CatalogOrigin = 'wa-tool' | 'prowler';

export interface CatalogPractice {
  /** "SEC01-BP01" where known, else the Tool's choice id (e.g. "ops_priorities_ext_cust_needs"). */
  id: string;
  /** The Well-Architected Tool's choice id. */
  choiceId: string;
  /** The question's id ("SEC01"). */
  question: string;
  title: string;
  risk: 'High' | 'Medium' | 'Low';
  /** Which source(s) it comes from: the Tool's question set, Prowler's compliance files, or both. */
  origin: CatalogOrigin[];
}

export interface CatalogData {
  questions: CatalogQuestion[];
  practices: CatalogPractice[];
  /** Prowler check id → the best-practice ids Prowler's compliance files list it under. */
  prowlerChecks: Record<string, string[]>;
}
