import type { Activity } from 'botbuilder';
import { ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationError, type AuthenticateRequestResult } from 'botframework-connector';
import type { TeamsAppType } from './config.js';
import { ClientCredentialsFactory } from './client-credentials.js';

/** Bot Framework endpoints a local stand-in (the playground's fake connector) serves instead of Azure's. */
export interface LocalBotFrameworkEndpoints {
  /** OpenID metadata whose `jwks_uri` lists the keys that sign activities sent to the bot. */
  channelOpenIdMetadataUrl: string;
  /** The `iss` of those activity tokens (Azure's is https://api.botframework.com). */
  channelTokenIssuer: string;
  /** Metadata for Entra ID issued tokens, which botbuilder accepts too; must be local so nothing leaves the machine. */
  emulatorOpenIdMetadataUrl: string;
  /** Base of the OAuth token endpoint the bot gets its outgoing tokens from (`<loginUrl>/oauth2/v2.0/token`). */
  loginUrl: string;
  /** Audience of outgoing tokens (Azure's is https://api.botframework.com). */
  oauthScope: string;
  /** The user-token service; unused by Warden but botbuilder builds a client for it on every turn. */
  oauthApiUrl: string;
}

/**
 * How the bot proves who it is and checks who calls it:
 * - `azure`: the public Bot Framework cloud, from the MicrosoftApp* variables;
 * - `local`: the same token checks, against endpoints served on loopback (playground, tests);
 * - `anonymous`: no app id, so botbuilder checks no token at all. Only for a bot reachable from this
 *   machine alone; it must never face a network.
 */
export type TeamsAuth =
  | { mode: 'azure'; appId: string; appPassword?: string; appType: TeamsAppType; tenantId?: string }
  | { mode: 'local'; appId: string; appPassword: string; tenantId?: string; endpoints: LocalBotFrameworkEndpoints }
  | { mode: 'anonymous' };

export function botAppId(auth: TeamsAuth): string {
  return auth.mode === 'anonymous' ? '' : auth.appId;
}

// jsonwebtoken's error classes, by name so this module does not depend on botbuilder's copy of it.
const TOKEN_ERRORS = new Set(['JsonWebTokenError', 'TokenExpiredError', 'NotBeforeError']);

/**
 * botbuilder rejects most bad tokens with an AuthenticationError (401), but a token signed with the
 * wrong key, or with `alg: none`, surfaces as jsonwebtoken's own error, which CloudAdapter answers
 * with 500. A forged token is the caller's fault, so it is answered 401 here like any other.
 */
class StrictBotFrameworkAuthentication extends ConfigurationBotFrameworkAuthentication {
  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    try {
      return await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      if (error instanceof Error && TOKEN_ERRORS.has(error.name)) {
        throw new AuthenticationError(`Unauthorized: ${error.message}`, 401);
      }
      throw error;
    }
  }
}

/** The botbuilder authentication for a TeamsAuth, built through ConfigurationBotFrameworkAuthentication. */
export function createBotAuthentication(auth: TeamsAuth): ConfigurationBotFrameworkAuthentication {
  switch (auth.mode) {
    case 'anonymous':
      return new StrictBotFrameworkAuthentication({});
    case 'azure':
      return new StrictBotFrameworkAuthentication({
        MicrosoftAppId: auth.appId,
        MicrosoftAppType: auth.appType,
        ...(auth.appPassword ? { MicrosoftAppPassword: auth.appPassword } : {}),
        ...(auth.tenantId ? { MicrosoftAppTenantId: auth.tenantId } : {}),
      });
    case 'local': {
      const { endpoints } = auth;
      // Any of these keys switches botbuilder to its parameterized mode, where every endpoint is ours.
      return new StrictBotFrameworkAuthentication(
        {
          MicrosoftAppId: auth.appId,
          ...(auth.tenantId ? { MicrosoftAppTenantId: auth.tenantId } : {}),
          ToBotFromChannelOpenIdMetadataUrl: endpoints.channelOpenIdMetadataUrl,
          ToBotFromChannelTokenIssuer: endpoints.channelTokenIssuer,
          ToBotFromEmulatorOpenIdMetadataUrl: endpoints.emulatorOpenIdMetadataUrl,
          ToChannelFromBotLoginUrl: endpoints.loginUrl,
          ToChannelFromBotOAuthScope: endpoints.oauthScope,
          OAuthUrl: endpoints.oauthApiUrl,
          CallerId: 'urn:botframework:azure',
          // Authority validation is an MSAL concept; the local token endpoint is not an Entra ID authority.
          ValidateAuthority: false,
        },
        // MSAL (botbuilder's default) only talks to https authorities, so a plain OAuth client
        // credentials flow gets the outgoing tokens from the local endpoint instead.
        new ClientCredentialsFactory(auth.appId, auth.appPassword),
      );
    }
  }
}
