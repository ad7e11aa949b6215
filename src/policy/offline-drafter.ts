import type { DraftResult, Drafter, FieldsDraftInput, TextDraftInput } from '../access/drafter.js';
import type { Org } from '../config/schemas.js';
import type { IamCatalog } from './catalog.js';
import type { DraftContext, DurationLimits } from './draft-plan.js';
import { draftFromFields } from './fields-draft.js';
import { draftFromText } from './text-draft.js';

export interface OfflineDrafterOptions {
  catalog: IamCatalog;
  org: Org;
  defaults: DurationLimits;
}

/**
 * Drafts without an AI: a fixed table of intents matched on whole words, ARNs built from the IAM
 * catalog's formats, and questions whenever something needed is missing or ambiguous.
 */
export class OfflineDrafter implements Drafter {
  private readonly context: DraftContext;

  constructor(options: OfflineDrafterOptions) {
    this.context = { catalog: options.catalog, org: options.org, defaults: options.defaults };
  }

  fromText(input: TextDraftInput): Promise<DraftResult> {
    return draftFromText(this.context, input);
  }

  fromFields(input: FieldsDraftInput): Promise<DraftResult> {
    return draftFromFields(this.context, input);
  }
}
