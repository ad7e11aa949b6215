import { describe, expect, it } from 'vitest';
import { fitsCeiling } from '../../src/policy/access-levels.js';
import { IamCatalog } from '../../src/policy/catalog.js';
import { DEFAULT_INTENTS, INTENTS, intentById } from '../../src/policy/intents.js';
import { SUBJECTS, SUBJECT_IDS } from '../../src/policy/subjects.js';
import { tokenize } from '../../src/policy/request-text/tokens.js';

const catalog = new IamCatalog();

describe('the intents table, held to the IAM catalog', () => {
  for (const intent of INTENTS) {
    describe(intent.id, () => {
      it('has actions that exist, spelled as the catalog spells them, at a level that fits the intent', async () => {
        for (const { action } of intent.actions) {
          expect(await catalog.actionExists(action), action).toBe(action);
          const details = await catalog.action(action);
          expect(fitsCeiling(details!.level, intent.accessLevel), `${action} is ${details!.level}, intent is ${intent.accessLevel}`).toBe(true);
        }
      });

      it('names, for each action, a resource type the action applies to, and "*" only for wildcard-only actions', async () => {
        for (const { action, on } of intent.actions) {
          const details = (await catalog.action(action))!;
          expect(on.length).toBeGreaterThan(0);
          for (const ref of on) {
            if (ref === '*') {
              expect(details.isWildcardOnly, `${action} on "*"`).toBe(true);
              continue;
            }
            expect(details.isWildcardOnly, `${action} is wildcard-only`).toBe(false);
            expect(details.resourceTypes.map((r) => r.name)).toContain(ref.type);
            expect(await catalog.resourceArnFormat(details.service, ref.type)).toBeDefined();
          }
        }
      });

      it('is about its subject’s service and has triggers', () => {
        const subject = SUBJECTS.find((s) => s.id === intent.subject)!;
        for (const { action } of intent.actions) expect(action.split(':')[0]).toBe(subject.service);
        expect(intent.triggers.length).toBeGreaterThan(0);
      });
    });
  }

  it('builds every intent’s ARNs from the catalog formats with only the requester’s name missing', async () => {
    for (const intent of INTENTS) {
      const subject = SUBJECTS.find((s) => s.id === intent.subject)!;
      for (const { on } of intent.actions) {
        for (const ref of on) {
          if (ref === '*') continue;
          const [pattern] = await catalog.arnPatterns(subject.service, ref.type);
          const arn = pattern!.build({
            Partition: 'aws',
            Region: 'eu-west-1',
            Account: '111111111111',
            [subject.nameVariable]: 'x-1',
            ...ref.fill,
          });
          expect(arn.startsWith('arn:aws:')).toBe(true);
        }
      }
    }
  });

  it('has intent ids that are unique, and no trigger shared by two intents of one subject', () => {
    expect(new Set(INTENTS.map((i) => i.id)).size).toBe(INTENTS.length);
    for (const subject of SUBJECT_IDS) {
      const seen = new Map<string, string>();
      for (const intent of INTENTS.filter((i) => i.subject === subject)) {
        for (const trigger of intent.triggers) {
          const key = tokenize(trigger).map((t) => t.lower).join(' ');
          expect(seen.get(key), `"${trigger}" in ${intent.id} and ${seen.get(key)}`).toBeUndefined();
          seen.set(key, intent.id);
        }
      }
    }
  });

  it('has default intents of the subject and of exactly the level they are the default for', () => {
    for (const [subject, byLevel] of Object.entries(DEFAULT_INTENTS)) {
      for (const [level, ids] of Object.entries(byLevel)) {
        for (const id of ids ?? []) {
          const intent = intentById(id);
          expect(intent.subject).toBe(subject);
          expect(fitsCeiling(intent.accessLevel, level as typeof intent.accessLevel)).toBe(true);
        }
      }
    }
  });

  it('gives every subject a resource type that exists in the catalog, with its name variable in the format', async () => {
    for (const subject of SUBJECTS) {
      const format = await catalog.resourceArnFormat(subject.service, subject.target);
      expect(format, subject.id).toContain(`\${${subject.nameVariable}}`);
    }
  });

  it('does not give one alias to two subjects', () => {
    const seen = new Map<string, string>();
    for (const subject of SUBJECTS) {
      for (const alias of subject.aliases) {
        expect(seen.get(alias), `${alias} in ${subject.id} and ${seen.get(alias)}`).toBeUndefined();
        seen.set(alias, subject.id);
      }
    }
  });
});
