/**
 * Condition blocks: keys that exist and apply to the statement's actions, operators that fit the
 * key's type, set operators where keys have several values, and the expiry every Warden grant carries.
 */
import type { IamCatalog } from '../catalog.js';
import { parseIamDate } from '../evaluate/conditions.js';
import { conditionValues, listOf, type PolicyStatement } from '../evaluate/policy.js';
import { parseOperator, type OperatorFamily } from '../evaluate/operators.js';
import { expandActionPattern, isActionPattern } from './expand.js';
import { locate, where } from './location.js';
import type { LintCheck, LintFinding } from './types.js';

/** Which catalog key types each operator family may test. String operators also read ARNs. */
const FITS: Readonly<Record<OperatorFamily, readonly string[] | 'any'>> = {
  String: ['String', 'ArrayOfString', 'ARN', 'ArrayOfARN'],
  Arn: ['ARN', 'ArrayOfARN', 'String', 'ArrayOfString'],
  Numeric: ['Numeric', 'ArrayOfNumeric', 'Long', 'Integer'],
  Date: ['Date', 'ArrayOfDate'],
  Bool: ['Bool', 'Boolean', 'ArrayOfBool'],
  IpAddress: ['IPAddress', 'IpAddress', 'ArrayOfIPAddress'],
  Binary: ['Binary', 'ArrayOfBinary'],
  Null: 'any',
};

/** "aws:ResourceTag/${TagKey}", "s3:ExistingObjectTag/<key>", "aws:PrincipalTag/tag-key" → a regex for real keys. */
function keyPattern(catalogKey: string): RegExp {
  const source = catalogKey
    .replace(/\$\{[^}]+\}|<[^>]+>|\/tag-key$/g, (m) => (m === '/tag-key' ? '/\u0001' : '\u0001'))
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/\u0001/g, '.+');
  return new RegExp(`^${source}$`, 'i');
}

async function statementActions(statement: PolicyStatement, catalog: IamCatalog): Promise<string[] | undefined> {
  if (statement.Action === undefined) return undefined;
  const ids: string[] = [];
  for (const raw of listOf(statement.Action)) {
    if (raw.trim() === '*') return undefined;
    if (isActionPattern(raw)) ids.push(...(await expandActionPattern(raw, catalog)).actions);
    else {
      const known = await catalog.action(raw);
      if (known) ids.push(known.id);
    }
  }
  return ids;
}

export const checkConditions: LintCheck = async ({ statements, catalog }) => {
  const findings: LintFinding[] = [];
  for (const [index, statement] of statements.entries()) {
    if (!statement.Condition) continue;
    const location = locate(statement, index);
    const actions = await statementActions(statement, catalog);
    for (const [operatorText, block] of Object.entries(statement.Condition)) {
      const operator = parseOperator(operatorText);
      if (!operator) continue; // compilePolicy and the structure checks report unknown operators.
      for (const key of Object.keys(block)) {
        const type = await catalog.conditionKeyType(key);
        const at = { statement: location, conditionKey: key };
        if (type === undefined) {
          findings.push({
            ...at,
            code: 'unknown-condition-key',
            severity: 'error',
            message: `${where(location)}: "${key}" is not a condition key AWS knows, so the condition ${statement.Effect === 'Allow' ? 'never matches and the statement grants nothing' : 'does not work as written'}.`,
          });
          continue;
        }
        if (actions && actions.length > 0 && !key.toLowerCase().startsWith('aws:')) {
          let applies = false;
          for (const action of actions) {
            if ((await catalog.conditionKeys(action)).some((k) => keyPattern(k).test(key))) {
              applies = true;
              break;
            }
          }
          if (!applies) {
            findings.push({
              ...at,
              code: 'condition-key-not-for-action',
              severity: 'warning',
              message: `${where(location)}: ${key} is never set for ${actions.length === 1 ? actions[0] : 'these actions'}, so the condition sees it as absent.`,
            });
          }
        }
        const fits = FITS[operator.family];
        if (fits !== 'any' && !fits.includes(type)) {
          findings.push({
            ...at,
            code: 'condition-operator-type',
            severity: 'error',
            message: `${where(location)}: ${operatorText} compares ${operator.family === 'IpAddress' ? 'IP addresses' : `${operator.family.toLowerCase()} values`}, but ${key} is of type ${type}. Use an operator for ${type} values.`,
          });
        }
        const multivalued = type.startsWith('ArrayOf');
        if (operator.base !== 'Null' && multivalued && operator.set === undefined) {
          findings.push({
            ...at,
            code: 'set-operator-mismatch',
            severity: 'warning',
            message: `${where(location)}: ${key} can hold several values, and ${operatorText} without ForAnyValue: or ForAllValues: never matches it. Add the set operator you mean.`,
          });
        } else if (!multivalued && operator.set !== undefined) {
          findings.push({
            ...at,
            code: 'set-operator-mismatch',
            severity: 'warning',
            message: `${where(location)}: ${key} has one value; ${operator.set}: is meant for keys with several. Drop it.`,
          });
        } else if (operator.set === 'ForAllValues' && statement.Effect === 'Allow' && !operator.ifExists) {
          findings.push({
            ...at,
            code: 'set-operator-mismatch',
            severity: 'warning',
            message: `${where(location)}: ForAllValues: also matches when ${key} is absent, so this Allow applies to requests without it. Add a Null check on ${key} if that is not meant.`,
          });
        }
      }
    }
  }
  return findings;
};

/** Every Allow carries `DateLessThan aws:CurrentTime <expiry>`, so access ends even if revocation fails. */
export const checkExpiry: LintCheck = ({ statements, options }) => {
  const required = options.requireExpiry ?? options.use === 'identity';
  if (!required) return [];
  const findings: LintFinding[] = [];
  statements.forEach((statement, index) => {
    if (statement.Effect !== 'Allow') return;
    const location = locate(statement, index);
    const expiry = expiryOf(statement);
    const problem =
      expiry === undefined
        ? 'has no expiry condition'
        : options.now && expiry <= options.now.getTime()
          ? 'has an expiry that is already past'
          : options.expiresAt && expiry > options.expiresAt.getTime() + 1000
            ? `expires later (${new Date(expiry).toISOString()}) than the approved ${options.expiresAt.toISOString()}`
            : undefined;
    if (problem) {
      findings.push({
        code: 'missing-expiry',
        severity: 'error',
        statement: location,
        conditionKey: 'aws:CurrentTime',
        message: `${where(location)} ${problem}: every grant needs "DateLessThan": {"aws:CurrentTime": "<expiry>"} so it stops working at expiry even if revocation fails.`,
      });
    }
  });
  return findings;
};

/** The latest time any DateLessThan(Equals) on aws:CurrentTime allows, or undefined when there is none. */
function expiryOf(statement: PolicyStatement): number | undefined {
  let expiry: number | undefined;
  for (const [operatorText, block] of Object.entries(statement.Condition ?? {})) {
    const operator = parseOperator(operatorText);
    if (!operator || operator.set !== undefined || operator.ifExists) continue;
    if (operator.base !== 'DateLessThan' && operator.base !== 'DateLessThanEquals') continue;
    for (const [key, value] of Object.entries(block)) {
      if (key.toLowerCase() !== 'aws:currenttime') continue;
      const parsed = conditionValues(value).map(parseIamDate);
      const times = parsed.filter((t): t is number => t !== undefined);
      if (times.length !== parsed.length) return undefined;
      // Several values are ORed: the latest one is when the grant really ends.
      const latest = Math.max(...times);
      expiry = expiry === undefined ? latest : Math.min(expiry, latest);
    }
  }
  return expiry;
}
