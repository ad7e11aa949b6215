/** Actions: they exist, wildcards are spelled out, and none is above the level the requester asked for. */
import type { AccessLevel } from '../../access/types.js';
import { fitsCeiling, levelsUnder } from '../access-levels.js';
import { splitActionName, type IamCatalog } from '../catalog.js';
import { listOf } from '../evaluate/policy.js';
import { listWithOr } from '../wording.js';
import { expandActionPattern, isActionPattern, summarizeActions } from './expand.js';
import { locate, where } from './location.js';
import type { LintCheck, LintFinding, StatementLocation } from './types.js';

function didYouMean(suggestions: readonly string[]): string {
  return suggestions.length > 0 ? ` Did you mean ${listWithOr(suggestions)}?` : '';
}

export const checkActions: LintCheck = async ({ statements, catalog, options }) => {
  const findings: LintFinding[] = [];
  for (const [index, statement] of statements.entries()) {
    const location = locate(statement, index);
    // What a statement grants matters in what Warden attaches; an SCP's Allow only sets a ceiling.
    const allows = statement.Effect === 'Allow' && statement.Action !== undefined && options.use !== 'scp';
    for (const raw of listOf(statement.Action ?? statement.NotAction)) {
      const action = raw.trim();
      if (action === '*') {
        if (allows) {
          findings.push({
            code: 'wildcard-action',
            severity: 'error',
            statement: location,
            action,
            message: `${where(location)} allows "*": every action of every AWS service. Name the actions instead.`,
          });
        }
        continue;
      }
      const parts = splitActionName(action.replace(/[*?]/g, 'X'));
      if (!parts) {
        findings.push({ code: 'malformed-action', severity: 'error', statement: location, action, message: `"${action}" is not an IAM action; actions look like "s3:GetObject".` });
        continue;
      }
      if (!(await catalog.serviceExists(parts.service))) {
        const suggestions = isActionPattern(action) ? await catalog.closestServices(parts.service) : await catalog.closest(action);
        findings.push({
          code: 'unknown-service',
          severity: 'error',
          statement: location,
          action,
          suggestions,
          message: `${action}: "${parts.service}" is not an AWS service prefix.${didYouMean(suggestions)}`,
        });
        continue;
      }
      if (isActionPattern(action)) {
        const { actions } = await expandActionPattern(action, catalog);
        if (actions.length === 0) {
          findings.push({ code: 'wildcard-matches-nothing', severity: 'error', statement: location, action, message: `${action} matches no ${parts.service} action.` });
        } else if (allows) {
          findings.push({
            code: 'wildcard-action',
            severity: 'warning',
            statement: location,
            action,
            expandsTo: actions,
            message: `${action} is a wildcard: today it grants ${actions.length} action(s) (${summarizeActions(actions)}), and it will grant any ${parts.service} action AWS adds that matches. Name the actions instead.`,
          });
          if (options.accessLevel) findings.push(...(await ceilingFindings(actions, options.accessLevel, catalog, location, action)));
        }
        continue;
      }
      const known = await catalog.action(action);
      if (!known) {
        const suggestions = await catalog.closest(action);
        findings.push({ code: 'unknown-action', severity: 'error', statement: location, action, suggestions, message: `${action} is not an IAM action.${didYouMean(suggestions)}` });
        continue;
      }
      if (allows && options.accessLevel) findings.push(...(await ceilingFindings([known.id], options.accessLevel, catalog, location, action)));
    }
  }
  return findings;
};

/**
 * The ceiling uses every level the catalog lists: "Permissions management, Write" is both, so it
 * never fits under Write alone; "Tagging, Write" counts as Tagging (see access-levels.ts).
 */
async function ceilingFindings(
  actions: readonly string[],
  ceiling: AccessLevel,
  catalog: IamCatalog,
  location: StatementLocation,
  written: string,
): Promise<LintFinding[]> {
  const above: string[] = [];
  const levels = new Set<string>();
  for (const id of actions) {
    const action = await catalog.action(id);
    if (!action || fitsCeiling(action.level, ceiling)) continue;
    above.push(action.id);
    action.accessLevels.forEach((l) => levels.add(l));
  }
  if (above.length === 0) return [];
  const subject = above.length === 1 && above[0] === written ? `${written} is a ${[...levels].join(', ')} action` : `${written} includes ${summarizeActions(above)} (${[...levels].join(', ')})`;
  return [
    {
      code: 'above-access-level',
      severity: 'error',
      statement: location,
      action: written,
      expandsTo: above,
      message: `${subject}; a ${ceiling} request may hold ${listWithOr(levelsUnder(ceiling))} actions only.`,
    },
  ];
}
