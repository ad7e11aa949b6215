/**
 * Actions that let the holder give themselves more than was approved (privilege escalation), that
 * change who has access (permissions management), or that hand out secrets and credentials. The
 * lists follow the well-known IAM escalation paths (Rhino Security Labs' catalogue, pmapper, Cloudsplaining).
 *
 * The check runs on what the whole document allows, wildcards expanded, because escalation often
 * needs two actions that sit in different statements.
 */
import type { IamCatalog } from '../catalog.js';
import { compileAction, listOf, type PolicyStatement } from '../evaluate/policy.js';
import { listWithOr } from '../wording.js';
import { expandActionPattern, isActionPattern, summarizeActions } from './expand.js';
import type { LintCheck, LintFinding } from './types.js';

/** One action is enough. */
const ESCALATION_ACTIONS: Readonly<Record<string, string>> = {
  'iam:PassRole': 'hands an IAM role to a service, which then acts with that role\'s permissions',
  'iam:PutUserPolicy': 'writes an inline policy on a user, which can grant anything',
  'iam:PutRolePolicy': 'writes an inline policy on a role, which can grant anything',
  'iam:PutGroupPolicy': 'writes an inline policy on a group, which can grant anything',
  'iam:AttachUserPolicy': 'attaches any managed policy (AdministratorAccess included) to a user',
  'iam:AttachRolePolicy': 'attaches any managed policy (AdministratorAccess included) to a role',
  'iam:AttachGroupPolicy': 'attaches any managed policy (AdministratorAccess included) to a group',
  'iam:CreatePolicyVersion': 'rewrites a managed policy and can make the new version the default',
  'iam:SetDefaultPolicyVersion': 'switches a managed policy to an older, possibly broader, version',
  'iam:CreateAccessKey': 'creates long-lived keys for another user',
  'iam:CreateLoginProfile': 'sets a console password for another user',
  'iam:UpdateLoginProfile': 'changes another user\'s console password',
  'iam:AddUserToGroup': 'joins a group and gets its permissions',
  'iam:UpdateAssumeRolePolicy': 'lets anyone named in the trust policy assume a role',
  'iam:PutUserPermissionsBoundary': 'replaces the boundary that limits a user',
  'iam:PutRolePermissionsBoundary': 'replaces the boundary that limits a role',
  'iam:DeleteUserPermissionsBoundary': 'removes the boundary that limits a user',
  'iam:DeleteRolePermissionsBoundary': 'removes the boundary that limits a role',
  's3:PutBucketPolicy': 'rewrites who may read and write a bucket, other accounts included',
  'lambda:UpdateFunctionCode': 'runs new code with the function\'s role',
  'lambda:AddPermission': 'lets other principals or accounts invoke a function',
  'ssm:SendCommand': 'runs commands on instances, with their instance roles',
  'ec2-instance-connect:SendSSHPublicKey': 'logs in to instances, with their instance roles',
  'glue:UpdateDevEndpoint': 'logs in to a Glue endpoint that runs with its role',
  'sts:AssumeRole': 'becomes another role',
};

/** Two or more actions that together escalate; each line needs all of its actions. */
const COMBINATIONS: readonly { actions: readonly string[]; how: string }[] = [
  { actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:InvokeFunction'], how: 'create a Lambda function with a privileged role and run it' },
  { actions: ['iam:PassRole', 'lambda:CreateFunction', 'lambda:CreateEventSourceMapping'], how: 'create a Lambda function with a privileged role and trigger it' },
  { actions: ['iam:PassRole', 'lambda:UpdateFunctionCode'], how: 'put new code in a function and run it with a passed role' },
  { actions: ['iam:PassRole', 'lambda:UpdateFunctionConfiguration'], how: 'give an existing function a privileged role' },
  { actions: ['iam:PassRole', 'ec2:RunInstances'], how: 'start an instance with a privileged instance profile and read its credentials' },
  { actions: ['iam:PassRole', 'cloudformation:CreateStack'], how: 'deploy a stack that runs with a privileged role' },
  { actions: ['iam:PassRole', 'glue:CreateDevEndpoint'], how: 'create a Glue endpoint with a privileged role and log in' },
  { actions: ['iam:PassRole', 'ecs:RegisterTaskDefinition', 'ecs:RunTask'], how: 'run a container with a privileged task role' },
  { actions: ['iam:PassRole', 'codebuild:CreateProject', 'codebuild:StartBuild'], how: 'run a build with a privileged service role' },
  { actions: ['iam:PassRole', 'sagemaker:CreateNotebookInstance', 'sagemaker:CreatePresignedNotebookInstanceUrl'], how: 'open a notebook that runs with a privileged role' },
  { actions: ['iam:PassRole', 'datapipeline:CreatePipeline', 'datapipeline:PutPipelineDefinition'], how: 'run a pipeline with a privileged role' },
  { actions: ['iam:UpdateAssumeRolePolicy', 'sts:AssumeRole'], how: 'trust yourself in a role and assume it' },
  { actions: ['iam:CreatePolicyVersion', 'iam:SetDefaultPolicyVersion'], how: 'rewrite a managed policy and make it the one in force' },
];

/** Actions that return secrets or credentials to the caller. */
const CREDENTIAL_ACTIONS: Readonly<Record<string, string>> = {
  'secretsmanager:GetSecretValue': 'returns the secret itself',
  'ssm:GetParameter': 'returns parameter values, SecureString ones decrypted when asked',
  'ssm:GetParameters': 'returns parameter values, SecureString ones decrypted when asked',
  'ssm:GetParametersByPath': 'returns every parameter under a path',
  'kms:Decrypt': 'decrypts data protected by the key',
  'iam:CreateAccessKey': 'creates long-lived access keys',
  'iam:CreateServiceSpecificCredential': 'creates a password for CodeCommit or Keyspaces',
  'sts:GetSessionToken': 'returns temporary credentials',
  'sts:GetFederationToken': 'returns temporary credentials for someone else',
  'ecr:GetAuthorizationToken': 'returns a registry password',
  'codeartifact:GetAuthorizationToken': 'returns a package-repository token',
  'redshift:GetClusterCredentials': 'returns database credentials',
  'redshift-serverless:GetCredentials': 'returns database credentials',
  'rds-db:connect': 'logs in to a database as a database user',
  'ec2:GetPasswordData': 'returns the Windows administrator password',
  'lambda:GetFunctionConfiguration': 'returns environment variables, where secrets often live',
  'lambda:GetFunction': 'returns environment variables and a link to the code',
  'cognito-identity:GetCredentialsForIdentity': 'returns temporary credentials',
  'glue:GetConnection': 'returns connection passwords',
  'lightsail:GetInstanceAccessDetails': 'returns SSH keys or passwords',
  'ssm:StartSession': 'opens a shell on an instance',
};

const CANONICAL = new Map<string, string>(
  [...Object.keys(ESCALATION_ACTIONS), ...Object.keys(CREDENTIAL_ACTIONS), ...COMBINATIONS.flatMap((c) => c.actions)].map((a) => [a.toLowerCase(), a]),
);

/**
 * What the document allows: lower-case action ids. "*" and NotAction allow "everything", which is
 * represented by `everything: true` (every rule below then applies).
 */
async function allowedActions(statements: readonly PolicyStatement[], catalog: IamCatalog): Promise<{ ids: Set<string>; everything: boolean }> {
  const ids = new Set<string>();
  let everything = false;
  for (const statement of statements) {
    if (statement.Effect !== 'Allow') continue;
    if (statement.NotAction !== undefined) {
      // Every action not listed: check the known risky ones against the exclusions.
      const excluded = listOf(statement.NotAction).map(compileAction);
      for (const id of CANONICAL.values()) {
        const [service = '', name = ''] = id.toLowerCase().split(':');
        if (!excluded.some((m) => m && (m.service === undefined || (m.service === service && m.name.test(name))))) ids.add(id.toLowerCase());
      }
      continue;
    }
    for (const raw of listOf(statement.Action)) {
      if (raw.trim() === '*') everything = true;
      else if (isActionPattern(raw)) (await expandActionPattern(raw, catalog)).actions.forEach((a) => ids.add(a.toLowerCase()));
      else ids.add(raw.trim().toLowerCase());
    }
  }
  return { ids, everything };
}

export const checkEscalation: LintCheck = async ({ statements, catalog, options }) => {
  if (options.use === 'scp') return [];
  const { ids, everything } = await allowedActions(statements, catalog);
  const has = (action: string) => everything || ids.has(action.toLowerCase());
  const findings: LintFinding[] = [];

  for (const combination of COMBINATIONS) {
    if (!combination.actions.every(has)) continue;
    findings.push({
      code: 'privilege-escalation-combination',
      severity: 'error',
      expandsTo: [...combination.actions],
      message: `${listWithAnd(combination.actions)} together let the holder ${combination.how}: more than any approver signs off on. Split the work or ask the platform team.`,
    });
  }
  for (const [action, why] of Object.entries(ESCALATION_ACTIONS)) {
    if (!has(action)) continue;
    findings.push({ code: 'privilege-escalation', severity: 'error', action, message: `${action} ${why}: a privilege-escalation path.` });
  }
  for (const [action, why] of Object.entries(CREDENTIAL_ACTIONS)) {
    if (!has(action)) continue;
    findings.push({ code: 'credential-exposure', severity: 'warning', action, message: `${action} ${why}; the approver should know a secret or credential is part of this access.` });
  }

  const permissions: string[] = [];
  for (const id of ids) {
    const action = await catalog.action(id);
    if (action?.accessLevels.includes('Permissions management')) permissions.push(action.id);
  }
  if (everything) permissions.push('every permissions-management action ("*")');
  if (permissions.length > 0) {
    findings.push({
      code: 'permissions-management',
      severity: 'warning',
      expandsTo: permissions.sort(),
      message: `${summarizeActions(permissions)} ${permissions.length === 1 ? 'is a' : 'are'} permissions-management action${permissions.length === 1 ? '' : 's'}: ${permissions.length === 1 ? 'it changes' : 'they change'} who can do what.`,
    });
  }
  return findings;
};

function listWithAnd(items: readonly string[]): string {
  return listWithOr(items).replace(/ or ([^,]+)$/, ' and $1');
}
