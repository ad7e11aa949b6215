import { ACCESS_LEVELS, type AccessLevel } from '../access/types.js';

/** How much a level can change; a draft's level is a ceiling on every action in it. */
const RANK: Readonly<Record<AccessLevel, number>> = {
  List: 0,
  Read: 1,
  Tagging: 2,
  Write: 3,
  'Permissions management': 4,
};

export function isAccessLevel(value: string): value is AccessLevel {
  return (ACCESS_LEVELS as readonly string[]).includes(value);
}

/**
 * Splits the catalog's level text ("Tagging, Write") into levels. A level we do not know is read as
 * Permissions management, so new catalog wording can never slip an action under a lower ceiling.
 */
export function parseCatalogLevels(text: string): AccessLevel[] {
  const levels = text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')
    .map((part): AccessLevel => (isAccessLevel(part) ? part : 'Permissions management'));
  return levels.length > 0 ? [...new Set(levels)] : ['Permissions management'];
}

/**
 * The level an action counts as against a ceiling. The catalog pairs Write with Tagging for actions
 * that only change tags (AWS's "tagging only" flag), so those count as Tagging; Write paired with
 * Permissions management marks actions that can change who has access, so those count as the latter.
 */
export function effectiveLevel(levels: readonly AccessLevel[]): AccessLevel {
  if (levels.includes('Permissions management')) return 'Permissions management';
  if (levels.includes('Tagging')) return 'Tagging';
  return highestLevel(levels) ?? 'Permissions management';
}

export function highestLevel(levels: readonly AccessLevel[]): AccessLevel | undefined {
  let highest: AccessLevel | undefined;
  for (const level of levels) if (highest === undefined || RANK[level] > RANK[highest]) highest = level;
  return highest;
}

export function fitsCeiling(level: AccessLevel, ceiling: AccessLevel): boolean {
  return RANK[level] <= RANK[ceiling];
}

/** The levels a draft of this level may hold, lowest first: "List and Read" for a Read draft. */
export function levelsUnder(ceiling: AccessLevel): AccessLevel[] {
  return (Object.keys(RANK) as AccessLevel[]).filter((level) => fitsCeiling(level, ceiling)).sort((a, b) => RANK[a] - RANK[b]);
}
