import type { ServiceClientCredentials, ServiceClientCredentialsFactory } from 'botframework-connector';
import { z } from 'zod';

const TokenResponseSchema = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.coerce.number().positive(),
});

type WebResource = Parameters<ServiceClientCredentials['signRequest']>[0];

// Renew a little before expiry, so a token never lapses between signing a request and its arrival.
const RENEW_BEFORE_MS = 5 * 60_000;

/** Signs connector requests with a bearer token from an OAuth 2.0 client-credentials endpoint, cached until near expiry. */
class ClientCredentials implements ServiceClientCredentials {
  private cached: { token: string; renewAt: number } | undefined;
  private pending: Promise<string> | undefined;

  constructor(
    private readonly tokenUrl: string,
    private readonly appId: string,
    private readonly appPassword: string,
    private readonly scope: string,
  ) {}

  // Keeps the secret out of anything that serializes this object (logs, error reports).
  toJSON(): Record<string, string> {
    return { name: 'ClientCredentials', appId: this.appId, tokenUrl: this.tokenUrl };
  }

  async signRequest(webResource: WebResource): Promise<WebResource> {
    webResource.headers.set('authorization', `Bearer ${await this.token()}`);
    return webResource;
  }

  private async token(): Promise<string> {
    if (this.cached && Date.now() < this.cached.renewAt) return this.cached.token;
    // Concurrent sends share one token request.
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  private async fetchToken(): Promise<string> {
    const response = await fetch(this.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: this.appId, client_secret: this.appPassword, scope: this.scope }),
    });
    if (!response.ok) throw new Error(`The token endpoint ${this.tokenUrl} refused the bot's credentials (HTTP ${response.status}).`);
    const parsed = TokenResponseSchema.safeParse(await response.json());
    if (!parsed.success) throw new Error(`The token endpoint ${this.tokenUrl} returned no usable access token.`);
    const { access_token: token, expires_in: seconds } = parsed.data;
    this.cached = { token, renewAt: Date.now() + Math.max(0, seconds * 1000 - RENEW_BEFORE_MS) };
    return token;
  }
}

/**
 * botbuilder's credentials factory for a bot whose token endpoint is not Entra ID: the playground's
 * fake connector serves `<loginUrl>/oauth2/v2.0/token` over plain http, which MSAL refuses to use.
 */
export class ClientCredentialsFactory implements ServiceClientCredentialsFactory {
  private readonly credentials = new Map<string, ClientCredentials>();

  constructor(
    private readonly appId: string,
    private readonly appPassword: string,
  ) {}

  toJSON(): Record<string, string> {
    return { name: 'ClientCredentialsFactory', appId: this.appId };
  }

  async isValidAppId(appId: string): Promise<boolean> {
    return appId === this.appId;
  }

  async isAuthenticationDisabled(): Promise<boolean> {
    return false;
  }

  async createCredentials(appId: string, audience: string | undefined, loginEndpoint: string): Promise<ServiceClientCredentials> {
    if (appId !== this.appId) throw new Error('Invalid appId.');
    const scope = `${(audience ?? 'https://api.botframework.com').replace(/\/$/, '')}/.default`;
    const tokenUrl = `${loginEndpoint.replace(/\/$/, '')}/oauth2/v2.0/token`;
    const key = `${tokenUrl} ${scope}`;
    let credentials = this.credentials.get(key);
    if (!credentials) {
      credentials = new ClientCredentials(tokenUrl, appId, this.appPassword, scope);
      this.credentials.set(key, credentials);
    }
    return credentials;
  }
}
