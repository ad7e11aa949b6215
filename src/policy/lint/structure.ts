/** The grammar AWS enforces, and the elements Warden never grants with. */
import { POLICY_VERSION } from '../evaluate/policy.js';
import { locate, where } from './location.js';
import type { LintCheck, LintFinding } from './types.js';

/** Policy variables and newer condition operators need the 2012-10-17 language; anything else reads them literally. */
export const checkVersion: LintCheck = ({ document }) => {
  if (document.Version === POLICY_VERSION) return [];
  const got = document.Version === undefined ? 'no Version' : `Version "${document.Version}"`;
  return [
    {
      code: 'version',
      severity: 'error',
      message: `The policy has ${got}; it must say "Version": "${POLICY_VERSION}", or IAM reads policy variables as plain text.`,
    },
  ];
};

export const checkEffect: LintCheck = ({ statements }) =>
  statements.flatMap((statement, index): LintFinding[] =>
    statement.Effect === 'Allow' || statement.Effect === 'Deny'
      ? []
      : [
          {
            code: 'effect',
            severity: 'error',
            statement: locate(statement, index),
            message: `${where(locate(statement, index))} has Effect "${statement.Effect}"; it must be exactly "Allow" or "Deny" (IAM is case-sensitive here).`,
          },
        ],
  );

export const checkElements: LintCheck = ({ statements }) => {
  if (statements.length === 0) return [{ code: 'missing-element', severity: 'error', message: 'The policy has no statements, so it grants nothing.' }];
  return statements.flatMap((statement, index): LintFinding[] => {
    const location = locate(statement, index);
    const findings: LintFinding[] = [];
    const pair = (a: 'Action' | 'Resource', b: 'NotAction' | 'NotResource') => {
      const count = Number(statement[a] !== undefined) + Number(statement[b] !== undefined);
      if (count !== 1) {
        findings.push({
          code: 'missing-element',
          severity: 'error',
          statement: location,
          message: `${where(location)} needs exactly one of ${a} and ${b}${count === 0 ? '' : ', not both'}.`,
        });
      }
    };
    pair('Action', 'NotAction');
    pair('Resource', 'NotResource');
    return findings;
  });
};

/** Identity policies, boundaries and SCPs name no principal: they apply to whoever they are attached to. */
export const checkPrincipal: LintCheck = ({ statements, options }) =>
  statements.flatMap((statement, index): LintFinding[] => {
    const element = statement.Principal !== undefined ? 'Principal' : statement.NotPrincipal !== undefined ? 'NotPrincipal' : undefined;
    if (!element) return [];
    const location = locate(statement, index);
    return [
      {
        code: 'principal-in-identity-policy',
        severity: 'error',
        statement: location,
        message: `${where(location)} has a ${element} element, which ${options.use === 'scp' ? 'an SCP' : 'an identity policy'} cannot have: it applies to the principal it is attached to. Remove ${element}.`,
      },
    ];
  });

const SID = /^[A-Za-z0-9]+$/;

export const checkSids: LintCheck = ({ statements }) => {
  const findings: LintFinding[] = [];
  const seen = new Map<string, number>();
  statements.forEach((statement, index) => {
    const sid = statement.Sid;
    if (sid === undefined) return;
    const location = locate(statement, index);
    if (!SID.test(sid)) {
      findings.push({
        code: 'invalid-sid',
        severity: 'error',
        statement: location,
        message: `Sid "${sid}" may hold only letters and digits in an identity policy or SCP.`,
      });
    }
    const first = seen.get(sid);
    if (first !== undefined) {
      findings.push({
        code: 'duplicate-sid',
        severity: 'error',
        statement: location,
        message: `Sid "${sid}" is used by statements #${first + 1} and #${index + 1}; each statement needs its own Sid.`,
      });
    } else seen.set(sid, index);
  });
  return findings;
};

/**
 * "Allow everything except…" grants every action and resource AWS adds later: never through
 * Warden. In an SCP it is legal (and common), so it is only a warning there.
 */
export const checkNotElementsWithAllow: LintCheck = ({ statements, options }) =>
  statements.flatMap((statement, index): LintFinding[] => {
    if (statement.Effect !== 'Allow') return [];
    const location = locate(statement, index);
    const severity = options.use === 'scp' ? 'warning' : 'error';
    const findings: LintFinding[] = [];
    if (statement.NotAction !== undefined) {
      findings.push({
        code: 'not-action-with-allow',
        severity,
        statement: location,
        message: `${where(location)} allows NotAction: every action except the listed ones, including actions AWS adds later. List the actions to allow instead.`,
      });
    }
    if (statement.NotResource !== undefined) {
      findings.push({
        code: 'not-resource-with-allow',
        severity,
        statement: location,
        message: `${where(location)} allows NotResource: every resource except the listed ones. List the resources to allow instead.`,
      });
    }
    if (statement.NotPrincipal !== undefined) {
      findings.push({
        code: 'not-principal-with-allow',
        severity: 'error',
        statement: location,
        message: `${where(location)} allows NotPrincipal: everyone except the listed principals. Name the principals instead.`,
      });
    }
    return findings;
  });
