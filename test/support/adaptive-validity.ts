import { createRequire } from 'node:module';
import type { AdaptiveCard } from '../../src/chat/teams/adaptive.js';

/*
 * The official renderer's parser is the oracle: what it reports, Teams would stumble on too. Its
 * package's ES build imports files without extensions, which Node cannot load, so the UMD bundle is used.
 */
interface SerializationContext {
  eventCount: number;
  getEventAt(index: number): { message: string };
}
interface AdaptiveCardsModule {
  AdaptiveCard: new () => {
    parse(json: unknown, context?: SerializationContext): void;
    validateProperties(): { validationEvents: { message: string }[] };
    toJSON(): unknown;
  };
  SerializationContext: new () => SerializationContext;
}
const AC = createRequire(import.meta.url)('adaptivecards/dist/adaptivecards.js') as AdaptiveCardsModule;

/** What the adaptivecards parser and validator report about a card; empty when it is valid. */
export function adaptiveCardProblems(card: AdaptiveCard): string[] {
  const parsed = new AC.AdaptiveCard();
  const context = new AC.SerializationContext();
  parsed.parse(card, context);
  const problems: string[] = [];
  for (let i = 0; i < context.eventCount; i++) problems.push(context.getEventAt(i).message);
  problems.push(...parsed.validateProperties().validationEvents.map((e) => e.message));
  return problems;
}
