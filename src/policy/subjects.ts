/**
 * DATA: the things a requester names ("the billing-reports bucket"), per common service. A subject
 * ties the words people use to one IAM service and the catalog resource type their names stand for.
 */

export const SUBJECT_IDS = [
  's3-bucket',
  'dynamodb-table',
  'ec2-instance',
  'rds-db',
  'lambda-function',
  'logs-log-group',
  'ssm-session',
  'ssm-parameter',
  'sqs-queue',
  'sns-topic',
  'kms-key',
  'secretsmanager-secret',
] as const;
export type SubjectId = (typeof SUBJECT_IDS)[number];

/** How a plain name becomes the ARN variable, when it is more than a copy. */
export type NameTransform =
  /** ParameterNameWithoutLeadingSlash: "/app/db-url" → "app/db-url". */
  | 'strip-leading-slash'
  /** RDS stores identifiers in lower case and its ARNs use that spelling. */
  | 'lower-case'
  /** Secrets Manager appends "-" and six random characters to a secret's ARN: match them exactly. */
  | 'secret-suffix';

export interface Subject {
  id: SubjectId;
  /** IAM service prefix. */
  service: string;
  /** How people call the service, for notes and questions. */
  label: string;
  /** The catalog resource type a requester's names stand for. */
  target: string;
  /**
   * Resource types inside the target whose ARNs the requester may give instead (an S3 object
   * ARN narrows a read to that object). Any other type is refused rather than widened to the target.
   */
  narrowerTypes?: readonly string[];
  /** The ARN variable a plain name fills, in the target's format. */
  nameVariable: string;
  nameTransform?: NameTransform;
  /** What a single resource is called, for questions: "Which bucket?". */
  noun: string;
  /** Phrases that name the service or its resources; the longest match wins ("db instance" over "instance"). */
  aliases: readonly string[];
  /** Words a resource name sits next to: "the orders table", "queue orders-dlq". */
  nouns: readonly string[];
  /** Valid plain names, so a stray word is not taken for a resource. */
  namePattern: RegExp;
  /** Shown when a name is missing or invalid. */
  nameHint: string;
  /** Other subjects this one takes over when both are mentioned ("ssm session" on an "instance"). */
  absorbs?: readonly SubjectId[];
  /** Something IAM does not cover that the requester should know, added to the notes. */
  caveat?: string;
}

const INSTANCE_ID = /^i-[0-9a-f]{8}(?:[0-9a-f]{9})?$/;

/** Where a service has two subjects, the one with stricter names comes first: "i-0abc…" is also a valid parameter name. */
export const SUBJECTS: readonly Subject[] = [
  {
    id: 's3-bucket',
    service: 's3',
    label: 'S3',
    target: 'bucket',
    narrowerTypes: ['object'],
    nameVariable: 'BucketName',
    noun: 'bucket',
    aliases: ['s3', 'amazon s3', 'aws s3', 's3 bucket', 's3 buckets', 'bucket', 'buckets', 'object', 'objects'],
    nouns: ['bucket', 'buckets', 's3 bucket', 's3 buckets'],
    namePattern: /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    nameHint: 'its name (e.g. billing-reports), its ARN or an s3:// URI',
  },
  {
    id: 'dynamodb-table',
    service: 'dynamodb',
    label: 'DynamoDB',
    target: 'table',
    nameVariable: 'TableName',
    noun: 'table',
    aliases: ['dynamodb', 'dynamo', 'dynamo db', 'ddb', 'dynamodb table', 'table', 'tables'],
    nouns: ['table', 'tables', 'dynamodb table', 'dynamo table'],
    namePattern: /^[A-Za-z0-9_.-]{3,255}$/,
    nameHint: 'its name (e.g. orders) or its ARN',
  },
  {
    id: 'ec2-instance',
    service: 'ec2',
    label: 'EC2',
    target: 'instance',
    nameVariable: 'InstanceId',
    noun: 'instance',
    aliases: ['ec2', 'amazon ec2', 'ec2 instance', 'ec2 instances', 'instance', 'instances'],
    nouns: ['instance', 'instances', 'ec2 instance', 'ec2 instances'],
    namePattern: INSTANCE_ID,
    nameHint: 'its instance id (e.g. i-0abc123def4567890) or its ARN: IAM does not know instance names',
  },
  {
    id: 'rds-db',
    service: 'rds',
    label: 'RDS',
    target: 'db',
    nameVariable: 'DbInstanceName',
    nameTransform: 'lower-case',
    noun: 'database',
    aliases: [
      'rds',
      'amazon rds',
      'database',
      'databases',
      'db',
      'db instance',
      'database instance',
      'rds instance',
      'rds database',
      'rds logs',
      'database logs',
      'db logs',
      'log files',
    ],
    nouns: ['database', 'databases', 'db', 'db instance', 'database instance', 'rds instance', 'rds database'],
    namePattern: /^[A-Za-z](?:[A-Za-z0-9]|-(?!-)){0,62}$/,
    nameHint: 'its DB instance identifier (e.g. orders-db) or its ARN',
    caveat: 'IAM does not grant access to the data inside an RDS database; this covers the DB instance itself.',
  },
  {
    id: 'lambda-function',
    service: 'lambda',
    label: 'Lambda',
    target: 'function',
    nameVariable: 'FunctionName',
    noun: 'function',
    aliases: ['lambda', 'lambdas', 'aws lambda', 'lambda function', 'lambda functions', 'function', 'functions'],
    nouns: ['function', 'functions', 'lambda', 'lambdas', 'lambda function', 'lambda functions'],
    namePattern: /^[A-Za-z0-9_-]{1,64}$/,
    nameHint: 'its name (e.g. resize-images) or its ARN',
  },
  {
    id: 'logs-log-group',
    service: 'logs',
    label: 'CloudWatch Logs',
    target: 'log-group',
    nameVariable: 'LogGroupName',
    noun: 'log group',
    aliases: ['cloudwatch logs', 'cloudwatch log', 'log group', 'log groups', 'log stream', 'log streams', 'logs', 'log'],
    nouns: ['log group', 'log groups', 'logs', 'log'],
    namePattern: /^[A-Za-z0-9_\-./#]{1,512}$/,
    nameHint: 'its name (e.g. /aws/lambda/checkout) or its ARN',
  },
  {
    id: 'ssm-session',
    service: 'ssm',
    label: 'SSM Session Manager',
    target: 'instance',
    nameVariable: 'InstanceId',
    noun: 'instance',
    aliases: [
      'session manager',
      'ssm session',
      'ssm sessions',
      'start-session',
      'start a session',
      // Not bare "session(s)" or "login": "the sessions table", "debug logins" are about other services.
      'shell',
      'ssh',
      'log in',
      'terminal',
    ],
    nouns: ['instance', 'instances', 'ec2 instance', 'host', 'server'],
    namePattern: INSTANCE_ID,
    nameHint: 'its instance id (e.g. i-0abc123def4567890) or its ARN',
    absorbs: ['ec2-instance', 'ssm-parameter'],
  },
  {
    id: 'ssm-parameter',
    service: 'ssm',
    label: 'SSM Parameter Store',
    target: 'parameter',
    nameVariable: 'ParameterNameWithoutLeadingSlash',
    nameTransform: 'strip-leading-slash',
    noun: 'parameter',
    aliases: ['ssm', 'parameter store', 'ssm parameter', 'ssm parameters', 'parameter', 'parameters', 'param', 'params'],
    nouns: ['parameter', 'parameters', 'param', 'params', 'ssm parameter'],
    namePattern: /^\/?[A-Za-z0-9_.\-/]{1,2048}$/,
    nameHint: 'its name (e.g. /payments/db-url) or its ARN',
    caveat: 'A SecureString parameter also needs kms:Decrypt on its KMS key; request that separately.',
  },
  {
    id: 'sqs-queue',
    service: 'sqs',
    label: 'SQS',
    target: 'queue',
    nameVariable: 'QueueName',
    noun: 'queue',
    aliases: ['sqs', 'amazon sqs', 'sqs queue', 'queue', 'queues', 'dlq', 'dead letter queue', 'dead-letter queue'],
    nouns: ['queue', 'queues', 'sqs queue', 'dlq', 'dead letter queue', 'dead-letter queue'],
    namePattern: /^[A-Za-z0-9_-]{1,80}(?:\.fifo)?$/,
    nameHint: 'its name (e.g. orders-dlq) or its ARN',
  },
  {
    id: 'sns-topic',
    service: 'sns',
    label: 'SNS',
    target: 'topic',
    nameVariable: 'TopicName',
    noun: 'topic',
    aliases: ['sns', 'amazon sns', 'sns topic', 'topic', 'topics'],
    nouns: ['topic', 'topics', 'sns topic'],
    namePattern: /^[A-Za-z0-9_-]{1,256}(?:\.fifo)?$/,
    nameHint: 'its name (e.g. order-events) or its ARN',
  },
  {
    id: 'kms-key',
    service: 'kms',
    label: 'KMS',
    target: 'key',
    nameVariable: 'KeyId',
    noun: 'KMS key',
    aliases: ['kms', 'aws kms', 'kms key', 'kms keys', 'cmk', 'customer managed key', 'encryption key', 'decrypt', 'encrypt'],
    nouns: ['key', 'keys', 'kms key', 'cmk', 'encryption key'],
    namePattern: /^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/,
    nameHint: 'its key id (e.g. 1234abcd-12ab-34cd-56ef-1234567890ab) or key ARN: KMS permissions do not follow aliases',
  },
  {
    id: 'secretsmanager-secret',
    service: 'secretsmanager',
    label: 'Secrets Manager',
    target: 'Secret',
    nameVariable: 'SecretId',
    nameTransform: 'secret-suffix',
    noun: 'secret',
    aliases: ['secrets manager', 'secretsmanager', 'secret', 'secrets'],
    nouns: ['secret', 'secrets'],
    namePattern: /^[A-Za-z0-9/_+=.@-]{1,512}$/,
    nameHint: 'its name (e.g. payments/stripe-key) or its ARN',
    caveat: 'A secret encrypted with a customer managed KMS key also needs kms:Decrypt on that key.',
  },
];

/** Phrases that contain an alias but do not name the service. */
export const ALIAS_EXCEPTIONS: readonly string[] = [
  'for instance',
  'primary key',
  'partition key',
  'sort key',
  'api key',
  'ssh key',
  'access key',
  'key pair',
];

export function subjectById(id: SubjectId): Subject {
  const subject = SUBJECTS.find((s) => s.id === id);
  if (!subject) throw new Error(`Unknown subject ${id}`);
  return subject;
}

export function transformName(subject: Subject, name: string): string {
  switch (subject.nameTransform) {
    case 'strip-leading-slash':
      return name.replace(/^\/+/, '');
    case 'lower-case':
      return name.toLowerCase();
    case 'secret-suffix':
      return `${name}-??????`;
    default:
      return name;
  }
}
