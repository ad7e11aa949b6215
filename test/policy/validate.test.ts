import { describe, expect, it } from 'vitest';
import type { AccessLevel, DraftStatement, PermissionDraft } from '../../src/access/types.js';
import { IamCatalog } from '../../src/policy/catalog.js';
import { catalogLevels, validateDraft, validateDraftActions, validateDraftResources } from '../../src/policy/validate.js';

const catalog = new IamCatalog();

function draft(accessLevel: AccessLevel, statements: DraftStatement[]): PermissionDraft {
  return {
    accountId: '111111111111',
    accountName: 'payments-prod',
    accessLevel,
    statements,
    durationMinutes: 60,
    justification: 'debug the export',
    broad: false,
    notes: [],
  };
}

const BUCKET = 'arn:aws:s3:::billing-reports';
const OBJECTS = 'arn:aws:s3:::billing-reports/*';

describe('validateDraftActions', () => {
  it('passes a least-privilege read draft', async () => {
    const ok = draft('Read', [
      { actions: ['s3:GetObject'], resources: [OBJECTS] },
      { actions: ['s3:ListBucket'], resources: [BUCKET] },
    ]);
    expect(await validateDraft(ok, catalog)).toEqual([]);
  });

  it('catches an action that does not exist and suggests the real one', async () => {
    const [problem] = await validateDraftActions(draft('Read', [{ actions: ['s3:ReadObject'], resources: [OBJECTS] }]), catalog);
    expect(problem).toMatchObject({ code: 'unknown-action', action: 's3:ReadObject' });
    expect(problem?.suggestions?.[0]).toBe('s3:GetObject');
    expect(problem?.message).toBe('s3:ReadObject is not an IAM action. Did you mean s3:GetObject?');
  });

  it('catches a Write action in a Read draft, and says what a Read draft may hold', async () => {
    const problems = await validateDraftActions(draft('Read', [{ actions: ['s3:GetObject', 's3:PutObject'], resources: [OBJECTS] }]), catalog);
    expect(problems).toEqual([
      {
        code: 'above-access-level',
        action: 's3:PutObject',
        message: 's3:PutObject is a Write action; a Read request may hold List or Read actions only.',
      },
    ]);
  });

  it('lets a Write draft hold tagging-only actions, and a Tagging draft hold them but not plain writes', async () => {
    const tagging = [{ actions: ['s3:PutObjectTagging', 's3:GetObjectTagging'], resources: [OBJECTS] }];
    expect(await validateDraftActions(draft('Write', tagging), catalog)).toEqual([]);
    expect(await validateDraftActions(draft('Tagging', tagging), catalog)).toEqual([]);
    expect(await validateDraftActions(draft('Read', tagging), catalog)).toMatchObject([{ code: 'above-access-level' }]);
    const write = [{ actions: ['s3:PutObject'], resources: [OBJECTS] }];
    expect(await validateDraftActions(draft('Tagging', write), catalog)).toMatchObject([{ code: 'above-access-level' }]);
  });

  it('holds permissions-management actions to a Permissions management draft', async () => {
    const statements = [{ actions: ['sqs:SetQueueAttributes'], resources: ['arn:aws:sqs:eu-west-1:111111111111:orders'] }];
    expect(await validateDraftActions(draft('Write', statements), catalog)).toMatchObject([{ code: 'above-access-level' }]);
    expect(await validateDraftActions(draft('Permissions management', statements), catalog)).toEqual([]);
  });

  it('refuses wildcards in actions', async () => {
    for (const action of ['s3:*', 's3:Get*', 's3:GetObjec?', '*']) {
      const problems = await validateDraftActions(draft('Read', [{ actions: [action], resources: [OBJECTS] }]), catalog);
      expect(problems.map((p) => p.code), action).toEqual(['wildcard-action']);
    }
  });

  it('names an unknown service and a malformed action', async () => {
    const problems = await validateDraftActions(
      draft('Read', [{ actions: ['dynamo:GetItem', 'GetObject', 's3 GetObject'], resources: ['*'] }]),
      catalog,
    );
    expect(problems.map((p) => p.code)).toEqual(['unknown-service', 'malformed-action', 'malformed-action']);
    expect(problems[0]?.message).toContain('Did you mean dynamodb:GetItem?');
  });

  it('accepts actions in any letter case, as IAM does', async () => {
    expect(await validateDraftActions(draft('Read', [{ actions: ['S3:getobject'], resources: [OBJECTS] }]), catalog)).toEqual([]);
  });
});

describe('validateDraftResources', () => {
  it('refuses "*" for an action that can be limited to a resource, and allows it for a wildcard-only one', async () => {
    const problems = await validateDraftResources(
      draft('List', [
        { actions: ['s3:ListBucket'], resources: ['*'] },
        { actions: ['ec2:DescribeInstances'], resources: ['*'] },
      ]),
      catalog,
    );
    expect(problems).toMatchObject([{ code: 'wildcard-resource', action: 's3:ListBucket' }]);
  });

  it('catches an object action on a bucket ARN, which would grant nothing', async () => {
    const problems = await validateDraftResources(draft('Read', [{ actions: ['s3:GetObject'], resources: [BUCKET] }]), catalog);
    expect(problems.map((p) => p.code)).toEqual(['resource-type-mismatch', 'resource-type-mismatch']);
    expect(problems[0]?.message).toContain("s3:GetObject applies to none of its statement's resources");
  });

  it('catches a wildcard-only action limited to an ARN and a resource that is not an ARN', async () => {
    const problems = await validateDraftResources(
      draft('List', [{ actions: ['ec2:DescribeInstances'], resources: ['arn:aws:ec2:eu-west-1:111111111111:instance/i-0abc123def4567890'] }]),
      catalog,
    );
    expect(problems.map((p) => p.code)).toContain('resource-type-mismatch');
    const notArn = await validateDraftResources(draft('Read', [{ actions: ['s3:GetObject'], resources: ['billing-reports'] }]), catalog);
    expect(notArn.map((p) => p.code)).toContain('malformed-resource');
  });
});

describe('catalogLevels', () => {
  it('lists every catalog level of the draft’s actions', async () => {
    const levels = await catalogLevels(
      draft('Write', [{ actions: ['s3:GetObject', 's3:PutObjectTagging', 's3:NoSuch'], resources: [OBJECTS] }]),
      catalog,
    );
    expect(levels.sort()).toEqual(['Read', 'Tagging', 'Write']);
  });
});
