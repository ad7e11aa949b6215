import { z } from 'zod';
import { ConfigError, type ConfigIssue } from '../../config/config-error.js';
import type { TeamsAuth } from './auth.js';

/** How the bot's Entra ID app registration is set up (Azure Bot resource → Configuration). */
export const TEAMS_APP_TYPES = ['MultiTenant', 'SingleTenant', 'UserAssignedMSI'] as const;
export type TeamsAppType = (typeof TEAMS_APP_TYPES)[number];

/** The Teams settings from the environment; null when Teams is not configured. */
export interface TeamsEnv {
  appId: string;
  /** Absent only for UserAssignedMSI, where the managed identity signs instead. */
  appPassword?: string;
  appType: TeamsAppType;
  /** Required for SingleTenant and UserAssignedMSI; with it set, activities from other tenants are refused. */
  tenantId?: string;
  /** Where `/api/messages` listens. */
  port: number;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
/** Never echoed in errors, whatever their content. */
const SECRET_VARS = new Set(['MicrosoftAppPassword']);

// `.env.example` ships empty values and shells export `X=`: an empty or blank variable counts as unset.
const blank = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : typeof value === 'string' ? value.trim() : value);
const opt = <T extends z.ZodType>(schema: T) => z.preprocess(blank, schema);

const TeamsEnvSchema = z.object({
  MicrosoftAppId: opt(z.string().regex(GUID, 'the Azure Bot\'s Microsoft App ID, a GUID like "00000000-0000-0000-0000-000000000000"').optional()),
  MicrosoftAppPassword: opt(z.string().min(1).optional()),
  MicrosoftAppTenantId: opt(z.string().regex(GUID, 'the Entra ID tenant id, a GUID (Azure portal → Microsoft Entra ID → Overview)').optional()),
  MicrosoftAppType: opt(
    z
      .string()
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return undefined;
        const match = TEAMS_APP_TYPES.find((t) => t.toLowerCase() === v.toLowerCase());
        if (match) return match;
        ctx.addIssue({ code: 'custom', message: `one of ${TEAMS_APP_TYPES.map((t) => `"${t}"`).join(', ')} (the Azure Bot's "Type of App")` });
        return z.NEVER;
      }),
  ),
  TEAMS_PORT: opt(
    z.coerce
      .number({ error: 'the port of the Teams /api/messages endpoint: a whole number from 1 to 65535' })
      .int('a whole number from 1 to 65535')
      .min(1, 'a whole number from 1 to 65535')
      .max(65535, 'a whole number from 1 to 65535')
      .default(3978),
  ),
});

/**
 * Reads the Teams settings (the Bot Framework's own variable names, so an Azure Bot's configuration
 * can be pasted as is). Returns null when no Microsoft* variable is set. Throws a ConfigError
 * (file `environment`) listing every problem; the password is never quoted.
 */
export function parseTeamsEnv(env: NodeJS.ProcessEnv): TeamsEnv | null {
  const parsed = TeamsEnvSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError('environment', parsed.error.issues.map((issue) => envIssue(issue, env)));
  }
  const e = parsed.data;
  const appType = e.MicrosoftAppType ?? 'MultiTenant';
  if (!e.MicrosoftAppId && !e.MicrosoftAppPassword && !e.MicrosoftAppTenantId && !e.MicrosoftAppType) return null;

  const issues: ConfigIssue[] = [];
  if (!e.MicrosoftAppId) {
    issues.push({ path: 'MicrosoftAppId', message: 'missing: other Microsoft* variables are set, and Teams needs the Azure Bot\'s Microsoft App ID too. Set it, or unset every Microsoft* variable to run without Teams' });
  }
  if (appType === 'UserAssignedMSI') {
    if (e.MicrosoftAppPassword) issues.push({ path: 'MicrosoftAppPassword', message: 'must not be set with MicrosoftAppType=UserAssignedMSI: the managed identity signs instead; unset it' });
  } else if (!e.MicrosoftAppPassword) {
    issues.push({ path: 'MicrosoftAppPassword', message: `missing: a ${appType} bot needs a client secret of its app registration (Azure portal → the app → Certificates & secrets)` });
  }
  if ((appType === 'SingleTenant' || appType === 'UserAssignedMSI') && !e.MicrosoftAppTenantId) {
    issues.push({ path: 'MicrosoftAppTenantId', message: `missing: MicrosoftAppType=${appType} needs the tenant id of the app registration` });
  }
  if (issues.length > 0 || !e.MicrosoftAppId) throw new ConfigError('environment', issues);
  return {
    appId: e.MicrosoftAppId,
    ...(e.MicrosoftAppPassword ? { appPassword: e.MicrosoftAppPassword } : {}),
    appType,
    ...(e.MicrosoftAppTenantId ? { tenantId: e.MicrosoftAppTenantId.toLowerCase() } : {}),
    port: e.TEAMS_PORT,
  };
}

function envIssue(issue: z.core.$ZodIssue, env: NodeJS.ProcessEnv): ConfigIssue {
  const name = String(issue.path[0] ?? '');
  const raw = blank(env[name]);
  const got = typeof raw === 'string' && !SECRET_VARS.has(name) ? ` (got ${JSON.stringify(raw.slice(0, 60))})` : '';
  return { path: name, message: `${issue.message}${got}` };
}

/** The bot authentication for a Teams configuration from the environment: Azure's Bot Framework cloud. */
export function teamsAuthFromEnv(env: TeamsEnv): TeamsAuth {
  return {
    mode: 'azure',
    appId: env.appId,
    appType: env.appType,
    ...(env.appPassword ? { appPassword: env.appPassword } : {}),
    ...(env.tenantId ? { tenantId: env.tenantId } : {}),
  };
}
