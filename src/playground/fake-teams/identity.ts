import { z } from 'zod';
import type { LocalBotFrameworkEndpoints } from '../../chat/teams/auth.js';
import type { Json, JsonObject } from '../fake-slack/json.js';
import { HttpError } from './http-error.js';
import { generateSigningKey, publicJwk, signJwt, verifyJwt } from './jwt.js';

/** What Azure's Bot Connector puts in `iss` of the tokens it signs activities with. */
export const CHANNEL_TOKEN_ISSUER = 'https://api.botframework.com';
/** The audience the bot asks its outgoing tokens for. */
export const CONNECTOR_SCOPE = 'https://api.botframework.com';
const TOKEN_LIFETIME_S = 3600;

// Tokens are checked by botbuilder against the real time, whatever clock the rest of the fake uses.
const nowSeconds = () => Math.floor(Date.now() / 1000);

const TokenRequestSchema = z.object({ grant_type: z.string(), client_id: z.string(), client_secret: z.string(), scope: z.string() });

/**
 * The two identities of the Bot Framework, on loopback: the Bot Connector's, which signs the
 * activities it delivers (keys published as OpenID metadata + JWKS, endorsed for msteams), and
 * Entra ID's, which issues the bot its own tokens for calling the connector (client credentials).
 */
export class FakeBotFrameworkIdentity {
  private readonly channelKey = generateSigningKey();
  private readonly loginKey = generateSigningKey();

  constructor(
    private readonly baseUrl: string,
    private readonly serviceUrl: string,
    private readonly appId: string,
    private readonly appPassword: string | undefined,
    private readonly tenantId: string,
  ) {}

  get channelKeyId(): string {
    return this.channelKey.kid;
  }

  endpoints(): LocalBotFrameworkEndpoints {
    return {
      channelOpenIdMetadataUrl: `${this.baseUrl}/v1/.well-known/openidconfiguration`,
      channelTokenIssuer: CHANNEL_TOKEN_ISSUER,
      emulatorOpenIdMetadataUrl: `${this.baseUrl}/botframework.com/v2.0/.well-known/openid-configuration`,
      loginUrl: `${this.baseUrl}/botframework.com`,
      oauthScope: CONNECTOR_SCOPE,
      oauthApiUrl: `${this.baseUrl}/oauth`,
    };
  }

  /** A token as the Bot Connector signs it for an activity it delivers from the fake's service URL. */
  activityToken(overrides: Record<string, unknown> = {}): string {
    const now = nowSeconds();
    return signJwt({ iss: CHANNEL_TOKEN_ISSUER, aud: this.appId, serviceurl: this.serviceUrl, nbf: now - 60, exp: now + TOKEN_LIFETIME_S, ...overrides }, this.channelKey);
  }

  openIdMetadata(path: string): JsonObject {
    if (path.startsWith('/v1/')) {
      return {
        issuer: CHANNEL_TOKEN_ISSUER,
        authorization_endpoint: `${this.baseUrl}/v1/auth`,
        jwks_uri: `${this.baseUrl}/v1/.well-known/keys`,
        id_token_signing_alg_values_supported: ['RS256'],
        token_endpoint_auth_methods_supported: ['private_key_jwt'],
      };
    }
    return {
      issuer: `${this.baseUrl}/botframework.com/v2.0`,
      token_endpoint: `${this.baseUrl}/botframework.com/oauth2/v2.0/token`,
      jwks_uri: `${this.baseUrl}/botframework.com/discovery/v2.0/keys`,
      id_token_signing_alg_values_supported: ['RS256'],
    };
  }

  /** Bot Connector keys say which channels they sign for; botbuilder checks the activity's channel against them. */
  keys(path: string): JsonObject {
    const key = path.startsWith('/v1/') ? publicJwk(this.channelKey, ['msteams']) : publicJwk(this.loginKey);
    return { keys: [{ ...key }] };
  }

  /** OAuth 2.0 client credentials, as Entra ID answers a bot asking for a Bot Connector token. */
  issueToken(body: Json | undefined): JsonObject {
    const form = TokenRequestSchema.safeParse(body);
    if (!form.success || form.data.grant_type !== 'client_credentials') {
      throw new HttpError(400, 'invalid_request', 'Expected grant_type=client_credentials with client_id, client_secret and scope.');
    }
    if (!this.appPassword || form.data.client_id !== this.appId || form.data.client_secret !== this.appPassword) {
      throw new HttpError(401, 'invalid_client', 'The client id or secret is wrong.');
    }
    if (form.data.scope !== `${CONNECTOR_SCOPE}/.default`) throw new HttpError(400, 'invalid_scope', `Only ${CONNECTOR_SCOPE}/.default is issued here.`);
    const now = nowSeconds();
    const token = signJwt(
      { aud: CONNECTOR_SCOPE, iss: `${this.baseUrl}/botframework.com/`, appid: this.appId, ver: '1.0', tid: this.tenantId, iat: now, nbf: now - 60, exp: now + TOKEN_LIFETIME_S },
      this.loginKey,
    );
    return { token_type: 'Bearer', expires_in: TOKEN_LIFETIME_S, ext_expires_in: TOKEN_LIFETIME_S, access_token: token };
  }

  /** The Bot Connector accepts only tokens the token endpoint issued to this bot (none needed for an anonymous bot). */
  authorize(authorization: string | undefined): void {
    if (!this.appPassword) return;
    const token = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    if (!token) throw new HttpError(401, 'Unauthorized', 'Missing bearer token.');
    const verified = verifyJwt(token, [this.loginKey], nowSeconds());
    if (!verified.ok) throw new HttpError(401, 'Unauthorized', `Invalid token: ${verified.reason}.`);
    if (verified.claims['aud'] !== CONNECTOR_SCOPE || verified.claims['appid'] !== this.appId) {
      throw new HttpError(401, 'Unauthorized', 'The token is for another audience or app.');
    }
  }
}
