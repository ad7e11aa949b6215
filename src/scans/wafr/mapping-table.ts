import type { Severity } from '../finding.js';

/**
 * Our own mapping, for what neither the findings nor Prowler's compliance files map: CloudSploit
 * plugins (by plugin id, then by category), Cloud Custodian policies (by words in the policy name,
 * since policies are named by their authors), and the few Prowler checks Prowler's files leave out.
 * Every id here must exist in the catalog; test/scans/wafr.test.ts checks it. Practices outside the
 * Security pillar are named by the Well-Architected Tool's choice ids (see build-catalog.ts).
 *
 * `sameAs` names the Prowler check that tests the same thing, so that a failure both tools report
 * on one resource is counted once (see normalize/dedup.ts).
 */

export interface TableEntry {
  practices: string[];
  severity?: Severity;
  sameAs?: string;
}

export interface CloudSploitPlugin extends TableEntry {
  category: string;
  /** The plugin's title, where known: CloudSploit's CSV output names a plugin only by it. */
  title?: string;
}

const BACKUP = 'REL09-BP03';
const BACKUP_IDENTIFIED = 'rel_backing_up_data_identified_backups_data';
const MULTI_LOCATION = 'REL10-BP01';
const QUOTAS = 'rel_manage_service_limits_monitor_manage_limits';
const DECOMMISSION = 'cost_decomissioning_resources_decommission';
const COST_ATTRIBUTION = 'cost_monitor_usage_define_attribution';
const UNUSED_ASSETS = 'sus_sus_user_a4';
const MONITORING = 'REL06-BP01';

/** CloudSploit plugins, by the id of plugins/aws/<category>/<id>.js in aquasecurity/cloudsploit. */
export const CLOUDSPLOIT_PLUGINS: Record<string, CloudSploitPlugin> = {
  rootMfaEnabled: { category: 'IAM', title: 'Root MFA Enabled', practices: ['SEC01-BP02', 'SEC02-BP01'], severity: 'critical', sameAs: 'iam_root_mfa_enabled' },
  rootAccessKeys: { category: 'IAM', practices: ['SEC01-BP02'], severity: 'critical', sameAs: 'iam_no_root_access_key' },
  rootAccountInUse: { category: 'IAM', practices: ['SEC01-BP02'], severity: 'high' },
  usersMfaEnabled: { category: 'IAM', practices: ['SEC02-BP01'], severity: 'high', sameAs: 'iam_user_mfa_enabled_console_access' },
  accessKeysRotated: { category: 'IAM', practices: ['SEC02-BP05'], severity: 'medium', sameAs: 'iam_rotate_access_key_90_days' },
  passwordPolicyExists: { category: 'IAM', title: 'Password Policy Exists', practices: ['SEC02-BP01'], severity: 'medium' },
  minPasswordLength: { category: 'IAM', practices: ['SEC02-BP01'], severity: 'medium', sameAs: 'iam_password_policy_minimum_length_14' },
  maxPasswordAge: { category: 'IAM', practices: ['SEC03-BP06'], severity: 'low', sameAs: 'iam_password_policy_expires_passwords_within_90_days_or_less' },
  passwordReusePrevention: { category: 'IAM', practices: ['SEC02-BP01'], severity: 'low', sameAs: 'iam_password_policy_reuse_24' },
  iamUserAdmins: { category: 'IAM', practices: ['SEC03-BP02'], severity: 'medium' },
  noUserIamPolicies: { category: 'IAM', practices: ['SEC02-BP06'], severity: 'low' },
  bucketVersioning: { category: 'S3', title: 'S3 Bucket Versioning', practices: ['SEC08-BP04', BACKUP_IDENTIFIED], severity: 'low', sameAs: 's3_bucket_object_versioning' },
  bucketEncryption: { category: 'S3', practices: ['SEC08-BP02'], severity: 'high', sameAs: 's3_bucket_default_encryption' },
  bucketEncryptionInTransit: { category: 'S3', practices: ['SEC09-BP02'], severity: 'medium' },
  bucketSecureTransportEnabled: { category: 'S3', practices: ['SEC09-BP02'], severity: 'medium', sameAs: 's3_bucket_secure_transport_policy' },
  bucketAllUsersAcl: { category: 'S3', practices: ['SEC03-BP07'], severity: 'high' },
  bucketAllUsersPolicy: { category: 'S3', practices: ['SEC03-BP07'], severity: 'high' },
  bucketPublicAccessBlock: { category: 'S3', practices: ['SEC03-BP07'], severity: 'medium' },
  bucketLogging: { category: 'S3', practices: ['SEC04-BP01'], severity: 'low', sameAs: 's3_bucket_server_access_logging_enabled' },
  bucketMFADeleteEnabled: { category: 'S3', practices: ['SEC08-BP04'], severity: 'low' },
  bucketLifecycleConfiguration: { category: 'S3', practices: ['SEC07-BP04', 'sus_sus_data_a4'], severity: 'low' },
  s3BucketHasTags: { category: 'S3', practices: [COST_ATTRIBUTION], severity: 'low' },
  cloudtrailEnabled: { category: 'CloudTrail', practices: ['SEC04-BP01'], severity: 'high', sameAs: 'cloudtrail_multi_region_enabled' },
  cloudtrailEncryption: { category: 'CloudTrail', practices: ['SEC08-BP02'], severity: 'medium', sameAs: 'cloudtrail_kms_encryption_enabled' },
  cloudtrailFileValidation: { category: 'CloudTrail', practices: ['SEC04-BP01'], severity: 'low', sameAs: 'cloudtrail_log_file_validation_enabled' },
  cloudtrailBucketDelete: { category: 'CloudTrail', practices: ['SEC04-BP01'], severity: 'low' },
  cloudtrailToCloudwatch: { category: 'CloudTrail', practices: ['SEC04-BP02'], severity: 'low', sameAs: 'cloudtrail_cloudwatch_logging_enabled' },
  openSSH: { category: 'EC2', practices: ['SEC05-BP02'], severity: 'high', sameAs: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_22' },
  openRDP: { category: 'EC2', practices: ['SEC05-BP02'], severity: 'high', sameAs: 'ec2_securitygroup_allow_ingress_from_internet_to_tcp_port_3389' },
  openAllPortsProtocols: { category: 'EC2', practices: ['SEC05-BP02'], severity: 'high', sameAs: 'ec2_securitygroup_allow_ingress_from_internet_to_all_ports' },
  defaultSecurityGroup: { category: 'EC2', practices: ['SEC05-BP01'], severity: 'medium', sameAs: 'ec2_securitygroup_default_restrict_traffic' },
  ebsEncryptionEnabled: { category: 'EC2', practices: ['SEC08-BP02'], severity: 'medium', sameAs: 'ec2_ebs_volume_encryption' },
  ebsSnapshotPublic: { category: 'EC2', practices: ['SEC03-BP07'], severity: 'high', sameAs: 'ec2_ebs_public_snapshot' },
  ebsBackupEnabled: { category: 'EC2', practices: [BACKUP], severity: 'medium' },
  ebsUnusedVolumes: { category: 'EC2', practices: [DECOMMISSION, UNUSED_ASSETS], severity: 'low' },
  flowLogsEnabled: { category: 'EC2', practices: ['SEC04-BP01'], severity: 'medium', sameAs: 'vpc_flow_logs_enabled' },
  instanceIamRole: { category: 'EC2', practices: ['SEC02-BP02'], severity: 'low' },
  ec2MetadataOptions: { category: 'EC2', practices: ['SEC06-BP02'], severity: 'medium', sameAs: 'ec2_instance_imdsv2_enabled' },
  instanceLimit: { category: 'EC2', practices: [QUOTAS], severity: 'low' },
  elasticIpLimit: { category: 'EC2', practices: [QUOTAS], severity: 'low' },
  natMultiAz: { category: 'EC2', practices: [MULTI_LOCATION], severity: 'low' },
  enableDetailedMonitoring: { category: 'EC2', practices: [MONITORING], severity: 'low' },
  ec2HasTags: { category: 'EC2', practices: [COST_ATTRIBUTION], severity: 'low' },
  rdsEncryptionEnabled: { category: 'RDS', practices: ['SEC08-BP02'], severity: 'high', sameAs: 'rds_instance_storage_encrypted' },
  rdsPubliclyAccessible: { category: 'RDS', practices: ['SEC05-BP02'], severity: 'high', sameAs: 'rds_instance_no_public_access' },
  rdsSnapshotEncryption: { category: 'RDS', practices: ['SEC08-BP02'], severity: 'medium' },
  rdsTransportEncryption: { category: 'RDS', practices: ['SEC09-BP02'], severity: 'medium' },
  rdsAutomatedBackups: { category: 'RDS', practices: [BACKUP], severity: 'medium', sameAs: 'rds_instance_backup_enabled' },
  rdsMultiAz: { category: 'RDS', practices: [MULTI_LOCATION], severity: 'medium', sameAs: 'rds_instance_multi_az' },
  rdsDeletionProtectionEnabled: { category: 'RDS', practices: [BACKUP], severity: 'low', sameAs: 'rds_instance_deletion_protection' },
  rdsMinorVersionUpgrade: { category: 'RDS', practices: ['SEC06-BP01'], severity: 'low', sameAs: 'rds_instance_minor_version_upgrade_enabled' },
  idleRDSInstance: { category: 'RDS', practices: [DECOMMISSION, UNUSED_ASSETS], severity: 'low' },
  kmsKeyRotation: { category: 'KMS', practices: ['SEC08-BP01'], severity: 'medium', sameAs: 'kms_cmk_rotation_enabled' },
};

/** When a plugin is not in the table above: its category's broad best practice. */
export const CLOUDSPLOIT_CATEGORIES: Record<string, string[]> = {
  IAM: ['SEC03-BP02'],
  S3: ['SEC08-BP04'],
  CloudTrail: ['SEC04-BP01'],
  CloudWatchLogs: ['SEC04-BP01'],
  'CloudWatch Logs': ['SEC04-BP01'],
  ConfigService: ['SEC04-BP01'],
  GuardDuty: ['SEC04-BP02'],
  EC2: ['SEC05-BP02'],
  VPC: ['SEC05-BP01'],
  ELB: ['SEC09-BP02'],
  ELBv2: ['SEC09-BP02'],
  RDS: ['SEC08-BP02'],
  KMS: ['SEC08-BP01'],
  ACM: ['SEC09-BP01'],
  Lambda: ['SEC06-BP01'],
  DynamoDB: [BACKUP],
  Backup: [BACKUP],
  SNS: ['SEC08-BP02'],
  SQS: ['SEC08-BP02'],
  EKS: ['SEC06-BP01'],
  ECR: ['SEC06-BP01'],
};

/**
 * Custodian policies are named by their authors, so they map by the words in the name ("-", "_" and
 * "." split words). The first rule whose words all occur wins; order goes from narrow to broad.
 */
export interface CustodianRule extends TableEntry {
  words: string[];
}

export const CUSTODIAN_RULES: CustodianRule[] = [
  { words: ['root', 'mfa'], practices: ['SEC01-BP02'], severity: 'critical' },
  { words: ['mfa'], practices: ['SEC02-BP01'], severity: 'high' },
  { words: ['access', 'key'], practices: ['SEC02-BP05'], severity: 'medium' },
  { words: ['public'], practices: ['SEC03-BP07'], severity: 'high' },
  { words: ['cross', 'account'], practices: ['SEC03-BP07'], severity: 'high' },
  { words: ['ingress'], practices: ['SEC05-BP02'], severity: 'high' },
  { words: ['security', 'group'], practices: ['SEC05-BP02'], severity: 'medium' },
  { words: ['unencrypted'], practices: ['SEC08-BP02'], severity: 'high' },
  { words: ['encryption'], practices: ['SEC08-BP02'], severity: 'medium' },
  { words: ['encrypted'], practices: ['SEC08-BP02'], severity: 'medium' },
  { words: ['tls'], practices: ['SEC09-BP02'], severity: 'medium' },
  { words: ['ssl'], practices: ['SEC09-BP02'], severity: 'medium' },
  { words: ['cloudtrail'], practices: ['SEC04-BP01'], severity: 'high' },
  { words: ['logging'], practices: ['SEC04-BP01'], severity: 'low' },
  { words: ['flow', 'log'], practices: ['SEC04-BP01'], severity: 'medium' },
  { words: ['imds'], practices: ['SEC06-BP02'], severity: 'medium' },
  { words: ['backup'], practices: [BACKUP], severity: 'medium' },
  { words: ['snapshot'], practices: [BACKUP], severity: 'low' },
  { words: ['multi', 'az'], practices: [MULTI_LOCATION], severity: 'medium' },
  { words: ['unused'], practices: [DECOMMISSION, UNUSED_ASSETS], severity: 'low' },
  { words: ['idle'], practices: [DECOMMISSION, UNUSED_ASSETS], severity: 'low' },
  { words: ['unattached'], practices: [DECOMMISSION, UNUSED_ASSETS], severity: 'low' },
  { words: ['stopped'], practices: [DECOMMISSION, UNUSED_ASSETS], severity: 'low' },
  { words: ['untagged'], practices: [COST_ATTRIBUTION], severity: 'low' },
  { words: ['tag'], practices: [COST_ATTRIBUTION], severity: 'low' },
  { words: ['tags'], practices: [COST_ATTRIBUTION], severity: 'low' },
  { words: ['rightsize'], practices: ['cost_type_size_number_resources_data', 'sus_sus_hardware_a2'], severity: 'low' },
  { words: ['underutilized'], practices: ['cost_type_size_number_resources_data', 'sus_sus_hardware_a2'], severity: 'low' },
  { words: ['old', 'generation'], practices: ['perf_compute_hardware_select_best_compute_options', 'sus_sus_hardware_a3'], severity: 'low' },
  { words: ['monitoring'], practices: [MONITORING], severity: 'low' },
  { words: ['alarm'], practices: ['rel_monitor_aws_resources_notification_monitor'], severity: 'low' },
];

/** Prowler checks that Prowler's Well-Architected files leave out (our choice, reviewed by hand). */
export const PROWLER_SUPPLEMENT: Record<string, string[]> = {
  // IAM Access Analyzer exists to analyse public and cross-account access.
  accessanalyzer_enabled: ['SEC03-BP07'],
  // Its siblings (account_maintain_current_contact_details…) are in Prowler's files under these two.
  account_maintain_different_contact_details_to_security_billing_and_operations: ['SEC03-BP03', 'SEC10-BP01'],
};

/** A CloudSploit plugin id from its title (for the CSV output, which has no plugin column). */
export function cloudsploitPluginByTitle(title: string): string | undefined {
  const wanted = title.trim().toLowerCase();
  return Object.entries(CLOUDSPLOIT_PLUGINS).find(([, p]) => p.title?.toLowerCase() === wanted)?.[0];
}

/** The words of a Custodian policy name: "ec2-unencrypted_volumes.v2" → ["ec2", "unencrypted", "volumes", "v2"]. */
export function policyWords(name: string): string[] {
  return name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}

export function custodianRule(policyName: string): CustodianRule | undefined {
  const words = new Set(policyWords(policyName));
  return CUSTODIAN_RULES.find((rule) => rule.words.every((w) => words.has(w)));
}
