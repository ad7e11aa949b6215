import type { ActionChecker } from '../access/checks.js';
import type { AccessRules, Org } from '../config/schemas.js';
import { IamCatalog } from './catalog.js';
import { OfflineDrafter } from './offline-drafter.js';
import { catalogLevels, validateDraft } from './validate.js';

export interface OfflinePolicy {
  catalog: IamCatalog;
  drafter: OfflineDrafter;
  actionChecker: ActionChecker;
}

/** The IAM catalog, the offline drafter and the catalog checks, wired for the composition root. */
export async function createOfflinePolicy(org: Org, rules: AccessRules): Promise<OfflinePolicy> {
  const catalog = new IamCatalog();
  // Load the service list now, so a broken catalog install fails at start-up, not on a first request.
  await catalog.serviceKeys();
  const drafter = new OfflineDrafter({ catalog, org, defaults: rules.defaults });
  const actionChecker: ActionChecker = {
    async check(draft) {
      // checkDraft reports empty statements itself.
      const problems = (await validateDraft(draft, catalog)).filter((p) => p.code !== 'empty-statement');
      return { problems: problems.map(({ code, message }) => ({ code, message })), levels: await catalogLevels(draft, catalog) };
    },
  };
  return { catalog, drafter, actionChecker };
}
