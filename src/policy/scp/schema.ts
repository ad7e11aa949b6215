/** The playground's organization file (examples/scps/organization.yaml). */
import { z } from 'zod';

const accountId = z.string().regex(/^\d{12}$/, 'an AWS account id is 12 digits, e.g. "111122223333"; put it in quotes');
const policyNames = z
  .array(z.string().regex(/^[A-Za-z0-9._-]+$/, 'a policy file name without ".json", e.g. "deny-writes-in-prod"'))
  .min(1, 'AWS attaches at least one SCP to every root, OU and account; attach FullAWSAccess if nothing else');

export const AccountNodeSchema = z.object({
  id: accountId,
  name: z.string().min(1),
  policies: policyNames,
});

export interface OuNodeInput {
  id: string;
  name: string;
  policies: string[];
  children: OuNodeInput[];
  accounts: z.infer<typeof AccountNodeSchema>[];
}

export const OuNodeSchema: z.ZodType<OuNodeInput> = z.object({
  id: z.string().regex(/^ou-[0-9a-z]{4,32}-[0-9a-z]{4,32}$/, 'an OU id like "ou-a1b2-prod0001"'),
  name: z.string().min(1),
  policies: policyNames,
  get children() {
    return z.array(OuNodeSchema).default([]);
  },
  accounts: z.array(AccountNodeSchema).default([]),
});

export const OrganizationFileSchema = z.object({
  organization: z.object({
    id: z.string().regex(/^o-[a-z0-9]{10,32}$/, 'an organization id like "o-a1b2c3d4e5"'),
    /** SCPs never apply to the management account. */
    managementAccount: accountId.optional(),
  }),
  root: z.object({
    id: z.string().regex(/^r-[0-9a-z]{4,32}$/, 'a root id like "r-a1b2"'),
    name: z.string().min(1).default('Root'),
    policies: policyNames,
    children: z.array(OuNodeSchema).default([]),
    accounts: z.array(AccountNodeSchema).default([]),
  }),
});

export type OrganizationFile = z.infer<typeof OrganizationFileSchema>;
