/**
 * Condition operator names: `[ForAnyValue:|ForAllValues:]<base>[IfExists]`, or `Null`.
 * See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */

export const BASE_OPERATORS = [
  'StringEquals',
  'StringNotEquals',
  'StringEqualsIgnoreCase',
  'StringNotEqualsIgnoreCase',
  'StringLike',
  'StringNotLike',
  'NumericEquals',
  'NumericNotEquals',
  'NumericLessThan',
  'NumericLessThanEquals',
  'NumericGreaterThan',
  'NumericGreaterThanEquals',
  'DateEquals',
  'DateNotEquals',
  'DateLessThan',
  'DateLessThanEquals',
  'DateGreaterThan',
  'DateGreaterThanEquals',
  'Bool',
  'BinaryEquals',
  'IpAddress',
  'NotIpAddress',
  'ArnEquals',
  'ArnLike',
  'ArnNotEquals',
  'ArnNotLike',
  'Null',
] as const;
export type BaseOperator = (typeof BASE_OPERATORS)[number];

export type OperatorFamily = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';
export type SetOperator = 'ForAnyValue' | 'ForAllValues';

export interface ParsedOperator {
  base: BaseOperator;
  family: OperatorFamily;
  ifExists: boolean;
  set: SetOperator | undefined;
  /**
   * Negated operators (StringNotEquals, NotIpAddress, ArnNotLike…) match when the key is absent,
   * and with several values they mean "none of them".
   */
  negated: boolean;
}

const BY_LOWER = new Map<string, BaseOperator>(BASE_OPERATORS.map((op) => [op.toLowerCase(), op]));

function familyOf(base: BaseOperator): OperatorFamily {
  if (base === 'Null' || base === 'Bool') return base;
  if (base === 'BinaryEquals') return 'Binary';
  if (base.endsWith('IpAddress')) return 'IpAddress';
  for (const family of ['String', 'Numeric', 'Date', 'Arn'] as const) if (base.startsWith(family)) return family;
  return 'String';
}

/** Undefined when the text is not an operator IAM knows (IAM refuses such a policy). */
export function parseOperator(text: string): ParsedOperator | undefined {
  let rest = text;
  let set: SetOperator | undefined;
  const colon = rest.indexOf(':');
  if (colon >= 0) {
    const prefix = rest.slice(0, colon).toLowerCase();
    if (prefix === 'foranyvalue') set = 'ForAnyValue';
    else if (prefix === 'forallvalues') set = 'ForAllValues';
    else return undefined;
    rest = rest.slice(colon + 1);
  }
  let ifExists = false;
  if (rest.toLowerCase().endsWith('ifexists')) {
    ifExists = true;
    rest = rest.slice(0, -'IfExists'.length);
  }
  const base = BY_LOWER.get(rest.toLowerCase());
  if (!base) return undefined;
  // "NullIfExists" and "ForAnyValue:Null" are not operators.
  if (base === 'Null' && (ifExists || set !== undefined)) return undefined;
  const negated = base === 'NotIpAddress' || /^(String|Numeric|Date|Arn)Not/.test(base);
  return { base, family: familyOf(base), ifExists, set, negated };
}

/** The catalog's key types an operator family is meant for (IAM Access Analyzer's type check). */
export const FAMILY_KEY_TYPES: Readonly<Record<OperatorFamily, readonly string[]>> = {
  String: ['String', 'ArrayOfString'],
  Numeric: ['Numeric', 'ArrayOfNumeric', 'Long', 'Integer'],
  Date: ['Date', 'ArrayOfDate'],
  Bool: ['Bool', 'Boolean', 'ArrayOfBool'],
  Binary: ['Binary', 'ArrayOfBinary'],
  IpAddress: ['IPAddress', 'IpAddress', 'ArrayOfIPAddress'],
  Arn: ['ARN', 'ArrayOfARN'],
  Null: [],
};
