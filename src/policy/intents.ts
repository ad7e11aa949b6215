/**
 * DATA: what people ask to do, per subject, and the smallest set of IAM actions that does it.
 * Every action names the catalog resource type it is granted on, so statements pair each action
 * with its own resources (s3:GetObject on objects, s3:ListBucket on the bucket). Tests hold every
 * row to the catalog: the action exists, its level fits the intent, its resource type is one the
 * action applies to, and "*" only where the action cannot be limited to a resource.
 */
import type { AccessLevel } from '../access/types.js';
import type { SubjectId } from './subjects.js';

/**
 * A catalog resource type of the subject's service; `fill` gives the variables the requester does
 * not name (an object key, an index name). A name the requester gives wins over a fill, so an
 * object ARN narrows `ObjectName: "*"`. "*" is only for wildcard-only actions.
 */
export type ResourceRef = { type: string; fill?: Readonly<Record<string, string>> } | '*';

export interface IntentAction {
  action: string;
  on: readonly ResourceRef[];
  /** Added only when one of these words appears in the request, e.g. listing a bucket. */
  onlyWhen?: readonly string[];
}

export interface Intent {
  id: string;
  subject: SubjectId;
  accessLevel: AccessLevel;
  /** Short, for notes and questions: "read objects". */
  label: string;
  /** Lower-case phrases that select this intent; the longest match wins. */
  triggers: readonly string[];
  actions: readonly IntentAction[];
}

const on = (type: string, fill?: Record<string, string>): ResourceRef => (fill ? { type, fill } : { type });
const ANY_RESOURCE = '*';

const OBJECTS = on('object', { ObjectName: '*' });
const BUCKET = on('bucket');
const TABLE = on('table');
const INDEXES = on('index', { IndexName: '*' });
const INSTANCE = on('instance');
const DB = on('db');
const FUNCTION = on('function');
const LOG_GROUP = on('log-group');
const LOG_STREAMS = on('log-stream', { LogStreamName: '*' });
const PARAMETER = on('parameter');
const QUEUE = on('queue');
const TOPIC = on('topic');
const KEY = on('key');
const SECRET = on('Secret');

const READ_WORDS = ['read', 'reading', 'view', 'see', 'look at', 'inspect'];
const TAG_WORDS = ['tag', 'tags', 'tagging', 'retag', 'untag'];

export const INTENTS: readonly Intent[] = [
  // S3
  {
    id: 's3.read-objects',
    subject: 's3-bucket',
    accessLevel: 'Read',
    label: 'read objects',
    triggers: [...READ_WORDS, 'download', 'downloading', 'get', 'fetch', 'copy from'],
    actions: [
      { action: 's3:GetObject', on: [OBJECTS] },
      {
        action: 's3:ListBucket',
        on: [BUCKET],
        onlyWhen: ['bucket', 'buckets', 'list', 'listing', 'browse', 'ls', 'contents', 'everything', 'all objects'],
      },
    ],
  },
  {
    id: 's3.list-objects',
    subject: 's3-bucket',
    accessLevel: 'List',
    label: 'list objects',
    triggers: ['list', 'listing', 'ls', 'browse', "what's in", 'what is in'],
    actions: [{ action: 's3:ListBucket', on: [BUCKET] }],
  },
  {
    id: 's3.list-buckets',
    subject: 's3-bucket',
    accessLevel: 'List',
    label: 'list the account’s buckets',
    triggers: ['list buckets', 'list all buckets', 'list the buckets', 'list all the buckets', 'list our buckets', 'list my buckets'],
    actions: [{ action: 's3:ListAllMyBuckets', on: [ANY_RESOURCE] }],
  },
  {
    id: 's3.write-objects',
    subject: 's3-bucket',
    accessLevel: 'Write',
    label: 'write objects',
    triggers: ['write', 'writing', 'upload', 'uploading', 'put', 'copy to', 'save', 'store', 'overwrite'],
    actions: [{ action: 's3:PutObject', on: [OBJECTS] }],
  },
  {
    id: 's3.delete-objects',
    subject: 's3-bucket',
    accessLevel: 'Write',
    label: 'delete objects',
    triggers: ['delete', 'deleting', 'remove', 'removing', 'clean up', 'cleanup'],
    actions: [{ action: 's3:DeleteObject', on: [OBJECTS] }],
  },
  {
    id: 's3.tag-objects',
    subject: 's3-bucket',
    accessLevel: 'Tagging',
    label: 'tag objects',
    triggers: TAG_WORDS,
    actions: [
      { action: 's3:GetObjectTagging', on: [OBJECTS] },
      { action: 's3:PutObjectTagging', on: [OBJECTS] },
    ],
  },

  // DynamoDB
  {
    id: 'dynamodb.read-items',
    subject: 'dynamodb-table',
    accessLevel: 'Read',
    label: 'read items',
    triggers: [...READ_WORDS, 'query', 'querying', 'scan', 'scanning', 'get', 'get items', 'fetch', 'look up', 'lookup'],
    actions: [
      { action: 'dynamodb:GetItem', on: [TABLE] },
      { action: 'dynamodb:BatchGetItem', on: [TABLE] },
      { action: 'dynamodb:Query', on: [TABLE] },
      { action: 'dynamodb:Scan', on: [TABLE] },
      { action: 'dynamodb:Query', on: [INDEXES], onlyWhen: ['index', 'indexes', 'indices', 'gsi', 'lsi'] },
      { action: 'dynamodb:Scan', on: [INDEXES], onlyWhen: ['index', 'indexes', 'indices', 'gsi', 'lsi'] },
    ],
  },
  {
    id: 'dynamodb.describe-table',
    subject: 'dynamodb-table',
    accessLevel: 'Read',
    label: 'describe the table',
    triggers: ['describe', 'schema', 'metadata', 'table settings'],
    actions: [{ action: 'dynamodb:DescribeTable', on: [TABLE] }],
  },
  {
    id: 'dynamodb.list-tables',
    subject: 'dynamodb-table',
    accessLevel: 'List',
    label: 'list tables',
    triggers: ['list', 'list tables', 'list the tables', 'list all tables'],
    actions: [{ action: 'dynamodb:ListTables', on: [ANY_RESOURCE] }],
  },
  {
    id: 'dynamodb.write-items',
    subject: 'dynamodb-table',
    accessLevel: 'Write',
    label: 'write items',
    triggers: ['write', 'writing', 'put', 'insert', 'update', 'updating', 'modify', 'edit', 'change', 'backfill'],
    actions: [
      { action: 'dynamodb:PutItem', on: [TABLE] },
      { action: 'dynamodb:UpdateItem', on: [TABLE] },
      { action: 'dynamodb:BatchWriteItem', on: [TABLE] },
    ],
  },
  {
    id: 'dynamodb.delete-items',
    subject: 'dynamodb-table',
    accessLevel: 'Write',
    label: 'delete items',
    triggers: ['delete', 'deleting', 'remove', 'removing', 'purge'],
    actions: [
      { action: 'dynamodb:DeleteItem', on: [TABLE] },
      { action: 'dynamodb:BatchWriteItem', on: [TABLE] },
    ],
  },
  {
    id: 'dynamodb.tag-table',
    subject: 'dynamodb-table',
    accessLevel: 'Tagging',
    label: 'tag the table',
    triggers: TAG_WORDS,
    actions: [
      { action: 'dynamodb:ListTagsOfResource', on: [TABLE] },
      { action: 'dynamodb:TagResource', on: [TABLE] },
      { action: 'dynamodb:UntagResource', on: [TABLE] },
    ],
  },

  // EC2
  {
    id: 'ec2.describe-instances',
    subject: 'ec2-instance',
    accessLevel: 'List',
    label: 'describe instances',
    triggers: ['describe', 'list', 'status', 'view', 'see', 'look at'],
    actions: [
      { action: 'ec2:DescribeInstances', on: [ANY_RESOURCE] },
      { action: 'ec2:DescribeInstanceStatus', on: [ANY_RESOURCE] },
    ],
  },
  {
    id: 'ec2.console-output',
    subject: 'ec2-instance',
    accessLevel: 'Read',
    label: 'read the console output',
    triggers: ['console output', 'console log', 'system log', 'boot log'],
    actions: [{ action: 'ec2:GetConsoleOutput', on: [INSTANCE] }],
  },
  {
    id: 'ec2.start',
    subject: 'ec2-instance',
    accessLevel: 'Write',
    label: 'start instances',
    triggers: ['start', 'starting', 'power on', 'turn on', 'boot'],
    actions: [{ action: 'ec2:StartInstances', on: [INSTANCE] }],
  },
  {
    id: 'ec2.stop',
    subject: 'ec2-instance',
    accessLevel: 'Write',
    label: 'stop instances',
    triggers: ['stop', 'stopping', 'shut down', 'shutdown', 'power off', 'turn off'],
    actions: [{ action: 'ec2:StopInstances', on: [INSTANCE] }],
  },
  {
    id: 'ec2.reboot',
    subject: 'ec2-instance',
    accessLevel: 'Write',
    label: 'reboot instances',
    triggers: ['reboot', 'rebooting', 'restart', 'restarting'],
    actions: [{ action: 'ec2:RebootInstances', on: [INSTANCE] }],
  },
  {
    id: 'ec2.tag',
    subject: 'ec2-instance',
    accessLevel: 'Tagging',
    label: 'tag instances',
    triggers: TAG_WORDS,
    actions: [
      { action: 'ec2:DescribeTags', on: [ANY_RESOURCE] },
      { action: 'ec2:CreateTags', on: [INSTANCE] },
      { action: 'ec2:DeleteTags', on: [INSTANCE] },
    ],
  },

  // RDS
  {
    id: 'rds.describe',
    subject: 'rds-db',
    accessLevel: 'List',
    label: 'describe the DB instance',
    triggers: ['describe', 'status', 'view', 'see', 'look at', 'list'],
    actions: [{ action: 'rds:DescribeDBInstances', on: [DB] }],
  },
  {
    id: 'rds.read-logs',
    subject: 'rds-db',
    accessLevel: 'Read',
    label: 'read the DB logs',
    triggers: ['logs', 'log', 'error log', 'slow query log', 'download logs'],
    actions: [
      { action: 'rds:DescribeDBLogFiles', on: [DB] },
      { action: 'rds:DownloadDBLogFilePortion', on: [DB] },
    ],
  },
  {
    id: 'rds.start',
    subject: 'rds-db',
    accessLevel: 'Write',
    label: 'start the DB instance',
    triggers: ['start', 'starting', 'turn on'],
    actions: [{ action: 'rds:StartDBInstance', on: [DB] }],
  },
  {
    id: 'rds.stop',
    subject: 'rds-db',
    accessLevel: 'Write',
    label: 'stop the DB instance',
    triggers: ['stop', 'stopping', 'shut down', 'turn off'],
    actions: [{ action: 'rds:StopDBInstance', on: [DB] }],
  },
  {
    id: 'rds.reboot',
    subject: 'rds-db',
    accessLevel: 'Write',
    label: 'reboot the DB instance',
    triggers: ['reboot', 'rebooting', 'restart', 'restarting'],
    actions: [{ action: 'rds:RebootDBInstance', on: [DB] }],
  },
  {
    id: 'rds.tag',
    subject: 'rds-db',
    accessLevel: 'Tagging',
    label: 'tag the DB instance',
    triggers: TAG_WORDS,
    actions: [
      { action: 'rds:ListTagsForResource', on: [DB] },
      { action: 'rds:AddTagsToResource', on: [DB] },
      { action: 'rds:RemoveTagsFromResource', on: [DB] },
    ],
  },

  // Lambda
  {
    id: 'lambda.invoke',
    subject: 'lambda-function',
    accessLevel: 'Write',
    label: 'invoke the function',
    triggers: ['invoke', 'invoking', 'invocation', 'call', 'run', 'execute', 'trigger'],
    actions: [{ action: 'lambda:InvokeFunction', on: [FUNCTION] }],
  },
  {
    id: 'lambda.read-configuration',
    subject: 'lambda-function',
    accessLevel: 'Read',
    label: 'read the function’s code and configuration',
    triggers: [...READ_WORDS, 'describe', 'get', 'configuration', 'config', 'code', 'settings'],
    actions: [
      { action: 'lambda:GetFunction', on: [FUNCTION] },
      { action: 'lambda:GetFunctionConfiguration', on: [FUNCTION] },
    ],
  },
  {
    id: 'lambda.list-functions',
    subject: 'lambda-function',
    accessLevel: 'List',
    label: 'list functions',
    triggers: ['list', 'list functions', 'list the functions', 'list all functions'],
    actions: [{ action: 'lambda:ListFunctions', on: [ANY_RESOURCE] }],
  },
  {
    id: 'lambda.update-code',
    subject: 'lambda-function',
    accessLevel: 'Write',
    label: 'deploy new code',
    triggers: ['deploy', 'deploying', 'deploy new code', 'new code', 'update the code', 'update code', 'upload code', 'upload new code', 'push code'],
    actions: [{ action: 'lambda:UpdateFunctionCode', on: [FUNCTION] }],
  },
  {
    id: 'lambda.update-configuration',
    subject: 'lambda-function',
    accessLevel: 'Write',
    label: 'change the configuration',
    triggers: [
      'update the configuration',
      'update configuration',
      'update the config',
      'update config',
      'change the configuration',
      'change the config',
      // Verb phrases only: "the env vars look wrong" in a read request must not draft a write.
      'change the environment variables',
      'update the environment variables',
      'set the environment variables',
      'change environment variables',
      'update environment variables',
      'set environment variables',
      'change env vars',
      'update env vars',
      'set env vars',
      'change the env vars',
      'update the env vars',
      'set the env vars',
      'change settings',
      'update settings',
    ],
    actions: [{ action: 'lambda:UpdateFunctionConfiguration', on: [FUNCTION] }],
  },
  {
    id: 'lambda.tag',
    subject: 'lambda-function',
    accessLevel: 'Tagging',
    label: 'tag the function',
    triggers: TAG_WORDS,
    actions: [
      { action: 'lambda:ListTags', on: [FUNCTION] },
      { action: 'lambda:TagResource', on: [FUNCTION] },
      { action: 'lambda:UntagResource', on: [FUNCTION] },
    ],
  },

  // CloudWatch Logs
  {
    id: 'logs.read-events',
    subject: 'logs-log-group',
    accessLevel: 'Read',
    label: 'read log events',
    triggers: [...READ_WORDS, 'search', 'grep', 'filter', 'get', 'fetch'],
    actions: [
      { action: 'logs:DescribeLogStreams', on: [LOG_GROUP] },
      { action: 'logs:FilterLogEvents', on: [LOG_GROUP] },
      { action: 'logs:GetLogEvents', on: [LOG_STREAMS] },
    ],
  },
  {
    id: 'logs.query',
    subject: 'logs-log-group',
    accessLevel: 'Read',
    label: 'run Logs Insights queries',
    triggers: ['query', 'queries', 'querying', 'insights', 'logs insights'],
    actions: [
      { action: 'logs:StartQuery', on: [LOG_GROUP] },
      { action: 'logs:GetQueryResults', on: [LOG_GROUP] },
      { action: 'logs:StopQuery', on: [ANY_RESOURCE] },
    ],
  },
  {
    id: 'logs.live-tail',
    subject: 'logs-log-group',
    accessLevel: 'Read',
    label: 'live-tail the log group',
    triggers: ['tail', 'tailing', 'live tail'],
    actions: [{ action: 'logs:StartLiveTail', on: [LOG_GROUP] }],
  },
  {
    id: 'logs.list-log-groups',
    subject: 'logs-log-group',
    accessLevel: 'List',
    label: 'list log groups',
    triggers: ['list', 'list log groups', 'list the log groups'],
    actions: [{ action: 'logs:DescribeLogGroups', on: [ANY_RESOURCE] }],
  },
  {
    id: 'logs.write-events',
    subject: 'logs-log-group',
    accessLevel: 'Write',
    label: 'write log events',
    triggers: ['write', 'writing', 'put', 'send', 'push', 'ship'],
    actions: [
      { action: 'logs:CreateLogStream', on: [LOG_STREAMS] },
      { action: 'logs:PutLogEvents', on: [LOG_STREAMS] },
    ],
  },
  {
    id: 'logs.set-retention',
    subject: 'logs-log-group',
    accessLevel: 'Write',
    label: 'change the retention',
    triggers: ['retention', 'retention policy'],
    actions: [{ action: 'logs:PutRetentionPolicy', on: [LOG_GROUP] }],
  },
  {
    id: 'logs.tag',
    subject: 'logs-log-group',
    accessLevel: 'Tagging',
    label: 'tag the log group',
    triggers: TAG_WORDS,
    actions: [
      { action: 'logs:ListTagsForResource', on: [LOG_GROUP] },
      { action: 'logs:TagResource', on: [LOG_GROUP] },
      { action: 'logs:UntagResource', on: [LOG_GROUP] },
    ],
  },

  // SSM Parameter Store
  {
    id: 'ssm.read-parameter',
    subject: 'ssm-parameter',
    accessLevel: 'Read',
    label: 'read the parameter',
    triggers: [...READ_WORDS, 'get', 'fetch', 'retrieve', 'value', 'look up', 'lookup'],
    actions: [
      { action: 'ssm:GetParameter', on: [PARAMETER] },
      { action: 'ssm:GetParameters', on: [PARAMETER] },
    ],
  },
  {
    id: 'ssm.list-parameters',
    subject: 'ssm-parameter',
    accessLevel: 'List',
    label: 'list parameters',
    triggers: ['list', 'list parameters', 'describe'],
    actions: [{ action: 'ssm:DescribeParameters', on: [ANY_RESOURCE] }],
  },
  {
    id: 'ssm.write-parameter',
    subject: 'ssm-parameter',
    accessLevel: 'Write',
    label: 'write the parameter',
    triggers: ['write', 'writing', 'update', 'updating', 'put', 'set', 'change', 'modify', 'edit', 'overwrite'],
    actions: [{ action: 'ssm:PutParameter', on: [PARAMETER] }],
  },
  {
    id: 'ssm.delete-parameter',
    subject: 'ssm-parameter',
    accessLevel: 'Write',
    label: 'delete the parameter',
    triggers: ['delete', 'deleting', 'remove', 'removing'],
    actions: [{ action: 'ssm:DeleteParameter', on: [PARAMETER] }],
  },
  {
    id: 'ssm.tag-parameter',
    subject: 'ssm-parameter',
    accessLevel: 'Tagging',
    label: 'tag the parameter',
    triggers: TAG_WORDS,
    actions: [
      { action: 'ssm:ListTagsForResource', on: [PARAMETER] },
      { action: 'ssm:AddTagsToResource', on: [PARAMETER] },
      { action: 'ssm:RemoveTagsFromResource', on: [PARAMETER] },
    ],
  },

  // SSM Session Manager: AWS's documented least-privilege end-user policy for the default shell.
  {
    id: 'ssm.start-session',
    subject: 'ssm-session',
    accessLevel: 'Write',
    label: 'open a Session Manager shell',
    triggers: ['session', 'sessions', 'shell', 'ssh', 'connect', 'log in', 'login', 'terminal', 'start-session', 'start a session'],
    actions: [
      {
        action: 'ssm:StartSession',
        on: [INSTANCE, on('document', { DocumentName: 'SSM-SessionManagerRunShell' })],
      },
      // Only the caller's own sessions: IAM fills ${aws:userid} at evaluation time.
      { action: 'ssm:TerminateSession', on: [on('session', { SessionId: '${aws:userid}-*' })] },
      { action: 'ssm:ResumeSession', on: [on('session', { SessionId: '${aws:userid}-*' })] },
    ],
  },

  // SQS
  {
    id: 'sqs.read-messages',
    subject: 'sqs-queue',
    accessLevel: 'Read',
    label: 'receive messages without deleting them',
    triggers: [...READ_WORDS, 'receive', 'receiving', 'peek', 'get messages'],
    actions: [
      { action: 'sqs:GetQueueUrl', on: [QUEUE] },
      { action: 'sqs:GetQueueAttributes', on: [QUEUE] },
      { action: 'sqs:ReceiveMessage', on: [QUEUE] },
    ],
  },
  {
    id: 'sqs.consume-messages',
    subject: 'sqs-queue',
    accessLevel: 'Write',
    label: 'consume messages (receive and delete)',
    triggers: ['consume', 'consuming', 'process', 'processing', 'drain', 'draining'],
    actions: [
      { action: 'sqs:GetQueueUrl', on: [QUEUE] },
      { action: 'sqs:GetQueueAttributes', on: [QUEUE] },
      { action: 'sqs:ReceiveMessage', on: [QUEUE] },
      { action: 'sqs:DeleteMessage', on: [QUEUE] },
      { action: 'sqs:ChangeMessageVisibility', on: [QUEUE] },
    ],
  },
  {
    id: 'sqs.send-messages',
    subject: 'sqs-queue',
    accessLevel: 'Write',
    label: 'send messages',
    triggers: ['send', 'sending', 'write', 'publish', 'enqueue', 'post', 'push', 'replay'],
    actions: [
      { action: 'sqs:GetQueueUrl', on: [QUEUE] },
      { action: 'sqs:SendMessage', on: [QUEUE] },
    ],
  },
  {
    id: 'sqs.purge',
    subject: 'sqs-queue',
    accessLevel: 'Write',
    label: 'purge the queue',
    triggers: ['purge', 'purging', 'empty', 'clear'],
    actions: [{ action: 'sqs:PurgeQueue', on: [QUEUE] }],
  },
  {
    // The catalog files ListQueues under Read, so this "list" intent is a Read intent.
    id: 'sqs.list-queues',
    subject: 'sqs-queue',
    accessLevel: 'Read',
    label: 'list queues',
    triggers: ['list', 'list queues', 'list the queues', 'list all queues'],
    actions: [{ action: 'sqs:ListQueues', on: [ANY_RESOURCE] }],
  },
  {
    id: 'sqs.tag',
    subject: 'sqs-queue',
    accessLevel: 'Tagging',
    label: 'tag the queue',
    triggers: TAG_WORDS,
    actions: [
      { action: 'sqs:ListQueueTags', on: [QUEUE] },
      { action: 'sqs:TagQueue', on: [QUEUE] },
      { action: 'sqs:UntagQueue', on: [QUEUE] },
    ],
  },

  // SNS
  {
    id: 'sns.publish',
    subject: 'sns-topic',
    accessLevel: 'Write',
    label: 'publish messages',
    triggers: ['publish', 'publishing', 'send', 'sending', 'post', 'notify', 'push'],
    actions: [{ action: 'sns:Publish', on: [TOPIC] }],
  },
  {
    id: 'sns.read-topic',
    subject: 'sns-topic',
    accessLevel: 'Read',
    label: 'read the topic’s attributes and subscriptions',
    triggers: [...READ_WORDS, 'describe', 'attributes', 'subscriptions'],
    actions: [
      { action: 'sns:GetTopicAttributes', on: [TOPIC] },
      { action: 'sns:ListSubscriptionsByTopic', on: [TOPIC] },
    ],
  },
  {
    id: 'sns.list-topics',
    subject: 'sns-topic',
    accessLevel: 'List',
    label: 'list topics',
    triggers: ['list', 'list topics', 'list the topics', 'list all topics'],
    actions: [{ action: 'sns:ListTopics', on: [ANY_RESOURCE] }],
  },
  {
    id: 'sns.subscribe',
    subject: 'sns-topic',
    accessLevel: 'Write',
    label: 'subscribe to the topic',
    triggers: ['subscribe', 'subscribing'],
    actions: [{ action: 'sns:Subscribe', on: [TOPIC] }],
  },
  {
    id: 'sns.tag',
    subject: 'sns-topic',
    accessLevel: 'Tagging',
    label: 'tag the topic',
    triggers: TAG_WORDS,
    actions: [
      { action: 'sns:ListTagsForResource', on: [TOPIC] },
      { action: 'sns:TagResource', on: [TOPIC] },
      { action: 'sns:UntagResource', on: [TOPIC] },
    ],
  },

  // KMS: the catalog files the cryptographic operations under Write.
  {
    id: 'kms.decrypt',
    subject: 'kms-key',
    accessLevel: 'Write',
    label: 'decrypt with the key',
    triggers: ['decrypt', 'decrypting', 'decryption'],
    actions: [{ action: 'kms:Decrypt', on: [KEY] }],
  },
  {
    id: 'kms.encrypt',
    subject: 'kms-key',
    accessLevel: 'Write',
    label: 'encrypt with the key',
    triggers: ['encrypt', 'encrypting', 'data key', 'data keys', 'generate data key'],
    actions: [
      { action: 'kms:Encrypt', on: [KEY] },
      { action: 'kms:GenerateDataKey', on: [KEY] },
    ],
  },
  {
    id: 'kms.sign',
    subject: 'kms-key',
    accessLevel: 'Write',
    label: 'sign and verify with the key',
    triggers: ['sign', 'signing', 'verify', 'verifying', 'signature', 'signatures'],
    actions: [
      { action: 'kms:Sign', on: [KEY] },
      { action: 'kms:Verify', on: [KEY] },
    ],
  },
  {
    id: 'kms.describe-key',
    subject: 'kms-key',
    accessLevel: 'Read',
    label: 'describe the key',
    triggers: [...READ_WORDS, 'describe'],
    actions: [{ action: 'kms:DescribeKey', on: [KEY] }],
  },
  {
    id: 'kms.list-keys',
    subject: 'kms-key',
    accessLevel: 'List',
    label: 'list keys and aliases',
    triggers: ['list', 'list keys', 'list aliases', 'list the keys'],
    actions: [
      { action: 'kms:ListKeys', on: [ANY_RESOURCE] },
      { action: 'kms:ListAliases', on: [ANY_RESOURCE] },
    ],
  },
  {
    id: 'kms.tag',
    subject: 'kms-key',
    accessLevel: 'Tagging',
    label: 'tag the key',
    triggers: TAG_WORDS,
    actions: [
      { action: 'kms:ListResourceTags', on: [KEY] },
      { action: 'kms:TagResource', on: [KEY] },
      { action: 'kms:UntagResource', on: [KEY] },
    ],
  },

  // Secrets Manager
  {
    id: 'secretsmanager.read-value',
    subject: 'secretsmanager-secret',
    accessLevel: 'Read',
    label: 'read the secret value',
    triggers: [...READ_WORDS, 'get', 'fetch', 'retrieve', 'value'],
    actions: [
      { action: 'secretsmanager:DescribeSecret', on: [SECRET] },
      { action: 'secretsmanager:GetSecretValue', on: [SECRET] },
    ],
  },
  {
    id: 'secretsmanager.list-secrets',
    subject: 'secretsmanager-secret',
    accessLevel: 'List',
    label: 'list secrets',
    triggers: ['list', 'list secrets', 'list the secrets', 'list all secrets'],
    actions: [{ action: 'secretsmanager:ListSecrets', on: [ANY_RESOURCE] }],
  },
  {
    id: 'secretsmanager.write-value',
    subject: 'secretsmanager-secret',
    accessLevel: 'Write',
    label: 'write a new secret value',
    triggers: ['write', 'writing', 'update', 'updating', 'put', 'set', 'change', 'store'],
    actions: [{ action: 'secretsmanager:PutSecretValue', on: [SECRET] }],
  },
  {
    id: 'secretsmanager.rotate',
    subject: 'secretsmanager-secret',
    accessLevel: 'Write',
    label: 'rotate the secret',
    triggers: ['rotate', 'rotating', 'rotation'],
    actions: [{ action: 'secretsmanager:RotateSecret', on: [SECRET] }],
  },
  {
    id: 'secretsmanager.tag',
    subject: 'secretsmanager-secret',
    accessLevel: 'Tagging',
    label: 'tag the secret',
    triggers: TAG_WORDS,
    actions: [
      { action: 'secretsmanager:TagResource', on: [SECRET] },
      { action: 'secretsmanager:UntagResource', on: [SECRET] },
    ],
  },
];

/**
 * The intents the `/access request` modal uses for (subject, access level). A level with no entry
 * falls back to the catalog's actions of that level (a broad draft).
 */
export const DEFAULT_INTENTS: Readonly<Record<SubjectId, Partial<Record<AccessLevel, readonly string[]>>>> = {
  's3-bucket': {
    List: ['s3.list-objects'],
    Read: ['s3.read-objects'],
    Write: ['s3.write-objects'],
    Tagging: ['s3.tag-objects'],
  },
  'dynamodb-table': {
    List: ['dynamodb.list-tables'],
    Read: ['dynamodb.read-items'],
    Write: ['dynamodb.write-items'],
    Tagging: ['dynamodb.tag-table'],
  },
  'ec2-instance': {
    List: ['ec2.describe-instances'],
    Read: ['ec2.describe-instances', 'ec2.console-output'],
    Write: ['ec2.start', 'ec2.stop'],
    Tagging: ['ec2.tag'],
  },
  'rds-db': {
    List: ['rds.describe'],
    Read: ['rds.describe', 'rds.read-logs'],
    Write: ['rds.start', 'rds.stop'],
    Tagging: ['rds.tag'],
  },
  'lambda-function': {
    List: ['lambda.list-functions'],
    Read: ['lambda.read-configuration'],
    Write: ['lambda.invoke'],
    Tagging: ['lambda.tag'],
  },
  'logs-log-group': {
    List: ['logs.list-log-groups'],
    Read: ['logs.read-events'],
    Write: ['logs.write-events'],
    Tagging: ['logs.tag'],
  },
  'ssm-parameter': {
    List: ['ssm.list-parameters'],
    Read: ['ssm.read-parameter'],
    Write: ['ssm.write-parameter'],
    Tagging: ['ssm.tag-parameter'],
  },
  'ssm-session': {
    Write: ['ssm.start-session'],
  },
  'sqs-queue': {
    Read: ['sqs.read-messages'],
    Write: ['sqs.send-messages'],
    Tagging: ['sqs.tag'],
  },
  'sns-topic': {
    List: ['sns.list-topics'],
    Read: ['sns.read-topic'],
    Write: ['sns.publish'],
    Tagging: ['sns.tag'],
  },
  'kms-key': {
    List: ['kms.list-keys'],
    Read: ['kms.describe-key'],
    Write: ['kms.decrypt', 'kms.encrypt'],
    Tagging: ['kms.tag'],
  },
  'secretsmanager-secret': {
    List: ['secretsmanager.list-secrets'],
    Read: ['secretsmanager.read-value'],
    Write: ['secretsmanager.write-value'],
    Tagging: ['secretsmanager.tag'],
  },
};

/**
 * Words that name an access level without naming an intent ("read access to instance i-…").
 * Used only when no trigger matched; a level with no default intent gives a broad draft.
 */
export const LEVEL_WORDS: ReadonlyArray<readonly [AccessLevel, readonly string[]]> = [
  ['Read', ['read', 'read access', 'read-only', 'read only', 'readonly', 'read-write', 'read/write', 'read and write', 'rw']],
  ['Write', ['write', 'write access', 'read-write', 'read/write', 'read and write', 'rw']],
  ['List', ['list', 'list access']],
  ['Tagging', ['tag', 'tags', 'tagging']],
  ['Permissions management', ['permissions management', 'manage permissions', 'change permissions', 'resource policy']],
];

export function intentById(id: string): Intent {
  const intent = INTENTS.find((i) => i.id === id);
  if (!intent) throw new Error(`Unknown intent ${id}`);
  return intent;
}

export function intentsOf(subject: SubjectId): Intent[] {
  return INTENTS.filter((i) => i.subject === subject);
}
