import { describe, expect, it } from 'vitest';
import { effectiveLevel, fitsCeiling, levelsUnder, parseCatalogLevels } from '../../src/policy/access-levels.js';

describe('access levels', () => {
  it('orders List < Read < Tagging < Write < Permissions management', () => {
    expect(levelsUnder('Read')).toEqual(['List', 'Read']);
    expect(levelsUnder('Tagging')).toEqual(['List', 'Read', 'Tagging']);
    expect(levelsUnder('Write')).toEqual(['List', 'Read', 'Tagging', 'Write']);
    expect(levelsUnder('Permissions management')).toHaveLength(5);
    expect(fitsCeiling('Write', 'Read')).toBe(false);
  });

  it('reads combined catalog levels, and an unknown word as the highest level', () => {
    expect(parseCatalogLevels('Permissions management, Write')).toEqual(['Permissions management', 'Write']);
    expect(parseCatalogLevels('Read')).toEqual(['Read']);
    expect(parseCatalogLevels('Admin')).toEqual(['Permissions management']);
    expect(parseCatalogLevels('')).toEqual(['Permissions management']);
  });

  it('counts an action by its most telling level', () => {
    expect(effectiveLevel(['Tagging', 'Write'])).toBe('Tagging');
    expect(effectiveLevel(['Permissions management', 'Write'])).toBe('Permissions management');
    expect(effectiveLevel(['List'])).toBe('List');
  });
});
