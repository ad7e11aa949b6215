import { CATALOG_DATA } from './catalog-data.js';
import { PILLARS, type CatalogData, type CatalogPractice, type CatalogQuestion, type PillarId } from './catalog-types.js';

export { PILLARS, type PillarId, type CatalogPractice, type CatalogQuestion } from './catalog-types.js';

/** Lookups over the Well-Architected catalog (six pillars, their questions and best practices). */
export class WafrCatalog {
  private readonly practices = new Map<string, CatalogPractice>();
  private readonly questions = new Map<string, CatalogQuestion>();

  constructor(private readonly data: CatalogData) {
    for (const q of data.questions) this.questions.set(q.id, q);
    for (const p of data.practices) {
      this.practices.set(p.id, p);
      // Findings may cite a practice by the Tool's choice id too.
      if (!this.practices.has(p.choiceId)) this.practices.set(p.choiceId, p);
    }
  }

  /** By "SEC01-BP01" or by the Tool's choice id. */
  practice(id: string): CatalogPractice | undefined {
    return this.practices.get(id);
  }

  question(id: string): CatalogQuestion | undefined {
    return this.questions.get(id);
  }

  pillarOf(practiceId: string): PillarId | undefined {
    const practice = this.practice(practiceId);
    return practice ? this.questions.get(practice.question)?.pillar : undefined;
  }

  pillarLabel(pillar: PillarId): string {
    return PILLARS.find((p) => p.id === pillar)!.label;
  }

  /** The best practices Prowler's compliance files list a check under. */
  prowlerCheck(checkId: string): readonly string[] {
    return this.data.prowlerChecks[checkId] ?? [];
  }

  allPractices(): readonly CatalogPractice[] {
    return this.data.practices;
  }

  allQuestions(): readonly CatalogQuestion[] {
    return this.data.questions;
  }

  prowlerChecks(): readonly string[] {
    return Object.keys(this.data.prowlerChecks);
  }
}

export const wafrCatalog = new WafrCatalog(CATALOG_DATA);
