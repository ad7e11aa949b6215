/**
 * Services whose API is global: a request to them carries aws:RequestedRegion "us-east-1" (or the
 * partition's home region) wherever the caller is, so a region restriction must leave them out, as
 * AWS's own region-restriction SCP example does.
 */
export const GLOBAL_SERVICES: ReadonlySet<string> = new Set([
  'account',
  'aws-portal',
  'budgets',
  'ce',
  'cloudfront',
  'globalaccelerator',
  'health',
  'iam',
  'organizations',
  'route53',
  'route53domains',
  'shield',
  'sts',
  'support',
  'trustedadvisor',
  'waf',
]);

/** The region a request for this action on this resource is made in. */
export function requestedRegion(action: string, resource: string, defaultRegion: string): string {
  const service = action.slice(0, action.indexOf(':')).toLowerCase();
  if (GLOBAL_SERVICES.has(service)) return 'us-east-1';
  const region = resource.split(':')[3];
  return region !== undefined && region !== '' && !/[*?]/.test(region) ? region : defaultRegion;
}
