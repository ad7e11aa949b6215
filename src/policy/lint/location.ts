import type { PolicyStatement } from '../evaluate/policy.js';
import { statementLabel } from '../evaluate/policy.js';
import type { StatementLocation } from './types.js';

export function locate(statement: PolicyStatement, index: number): StatementLocation {
  const location: StatementLocation = { index, label: statementLabel(statement, index) };
  if (statement.Sid !== undefined && statement.Sid !== '') location.sid = statement.Sid;
  return location;
}

/** "statement WardenGrant1" / "statement #2", for messages. */
export function where(location: StatementLocation): string {
  return `statement ${location.label}`;
}
