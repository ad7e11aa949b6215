import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Ec2InstanceNames } from '../../src/aws/ec2/instance-names.js';
import { DEFAULT_IAM_GRANT_SETTINGS } from '../../src/aws/iam/plan.js';
import type { Account } from '../../src/config/schemas.js';

const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
const ACCOUNT: Account = { id: '111111111111', name: 'payments-prod', environment: 'prod', region: 'eu-west-1' } as Account;
let regions: string[];

function names() {
  return new Ec2InstanceNames({
    settings: { ...DEFAULT_IAM_GRANT_SETTINGS, externalId: 'warden-ext' },
    clients: {
      sts: () => new STSClient({ region: 'us-east-1' }),
      ec2: (credentials, region) => (regions.push(`${region}/${credentials.accessKeyId}`), new EC2Client({ region, credentials })),
    },
    retry: { runtime: { sleep: async () => undefined, random: () => 0 } },
  });
}

beforeEach(() => {
  regions = [];
  sts.reset();
  ec2.reset();
  sts.on(AssumeRoleCommand).resolves({ Credentials: { AccessKeyId: 'AKIANAMES', SecretAccessKey: 's', SessionToken: 't', Expiration: new Date('2030-01-01') } });
});

afterEach(() => {
  sts.reset();
  ec2.reset();
});

describe('Ec2InstanceNames', () => {
  it('asks for running instances with that Name tag, in the account region, through its grant role, across pages', async () => {
    ec2
      .on(DescribeInstancesCommand)
      .resolvesOnce({ Reservations: [{ Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaa1' }] }], NextToken: 'page-2' })
      .resolves({ Reservations: [{ Instances: [{ InstanceId: 'i-0aaaaaaaaaaaaaaa2' }] }, { Instances: [] }] });
    expect(await names().running(ACCOUNT, 'web-1')).toEqual([
      { instanceId: 'i-0aaaaaaaaaaaaaaa1', name: 'web-1' },
      { instanceId: 'i-0aaaaaaaaaaaaaaa2', name: 'web-1' },
    ]);
    const filters = [
      { Name: 'tag:Name', Values: ['web-1'] },
      { Name: 'instance-state-name', Values: ['running'] },
    ];
    expect(ec2.commandCalls(DescribeInstancesCommand).map((c) => c.args[0].input)).toEqual([{ Filters: filters }, { Filters: filters, NextToken: 'page-2' }]);
    expect(sts.commandCalls(AssumeRoleCommand)[0]?.args[0].input).toMatchObject({
      RoleArn: 'arn:aws:iam::111111111111:role/warden-grant',
      RoleSessionName: 'warden-instance-names',
      ExternalId: 'warden-ext',
    });
    expect(regions).toEqual(['eu-west-1/AKIANAMES']);
  });

  it('no match is an empty list; an AWS error is passed on', async () => {
    ec2.on(DescribeInstancesCommand).resolvesOnce({ Reservations: [] }).rejects(Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation' }));
    expect(await names().running(ACCOUNT, 'nope')).toEqual([]);
    await expect(names().running(ACCOUNT, 'web-1')).rejects.toThrow(/not authorized/);
  });
});
