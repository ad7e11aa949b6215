import { describe, expect, it } from 'vitest';
import type { Granter, GrantInput } from '../../src/access/granter.js';
import { GrantersByMode, grantModeOf } from '../../src/access/granters-by-mode.js';
import type { AccessRequest, Grant } from '../../src/access/types.js';
import type { Account } from '../../src/config/schemas.js';
import { makeRequest } from '../support/builders.js';
import { sampleOrg } from '../support/org.js';

/** A granter that records what it was asked to do, under its own mode. */
class Recording implements Granter {
  readonly granted: string[] = [];
  readonly revoked: string[] = [];
  constructor(readonly mode: string) {}
  async grant(input: GrantInput): Promise<Grant['handle']> {
    this.granted.push(input.request.id);
    return { madeBy: this.mode };
  }
  async revoke(request: AccessRequest): Promise<void> {
    this.revoked.push(request.id);
  }
}

const prod = { ...sampleOrg.accounts[0]!, grant: { via: 'identity-center' as const } };
const sandbox = sampleOrg.accounts[1]!;

function input(account: Account = prod): GrantInput {
  const at = new Date('2026-11-23T10:00:00Z');
  return { request: makeRequest(), requester: sampleOrg.users[0]!, account, grantedAt: at, expiresAt: new Date(at.getTime() + 3_600_000) };
}

describe('GrantersByMode', () => {
  it('grants each account with the granter it is routed to, and records that granter in the handle', async () => {
    const iam = new Recording('aws-iam');
    const ic = new Recording('aws-identity-center');
    const granters = new GrantersByMode(iam, [ic], { route: (a) => (a.grant?.via === 'identity-center' ? ic : undefined) });
    expect(granters.mode).toBe('aws-iam');
    expect(await granters.grant(input(prod))).toEqual({ madeBy: 'aws-identity-center', grantMode: 'aws-identity-center' });
    expect(await granters.grant(input(sandbox))).toEqual({ madeBy: 'aws-iam' });
    expect([iam.granted.length, ic.granted.length]).toEqual([1, 1]);
  });

  it('revokes with the granter named in the handle, also through a router nested in another (as beside dry-run)', async () => {
    const iam = new Recording('aws-iam');
    const ic = new Recording('aws-identity-center');
    const dryRun = new Recording('dry-run');
    const routed = new GrantersByMode(iam, [ic], { route: (a) => (a.grant?.via === 'identity-center' ? ic : undefined) });
    const outer = new GrantersByMode(routed, [dryRun]);
    const request = makeRequest({ state: 'active' });
    const base = { grantedAt: '2026-11-23T10:00:00.000Z', expiresAt: '2026-11-23T11:00:00.000Z', mode: 'aws-iam' };
    await outer.revoke(request, { ...base, handle: { grantMode: 'aws-identity-center' } });
    await outer.revoke(request, { ...base, handle: {} });
    await outer.revoke(request, { ...base, mode: 'dry-run', handle: {} });
    expect([ic.revoked.length, iam.revoked.length, dryRun.revoked.length]).toEqual([1, 1, 1]);
    await expect(outer.revoke(request, { ...base, handle: { grantMode: 'aws-ssm' } })).rejects.toThrow(/made in "aws-ssm" mode, which this Warden is not configured for/);
  });

  it('a grant without a routed mode keeps its own', () => {
    expect(grantModeOf({ mode: 'aws-iam', handle: { roleName: 'warden-r-1' } })).toBe('aws-iam');
    expect(grantModeOf({ mode: 'aws-iam', handle: { grantMode: 'aws-identity-center' } })).toBe('aws-identity-center');
  });
});
