import { generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';

/**
 * RS256 JSON Web Tokens with node:crypto only: the fake signs what the real Bot Connector and Entra
 * ID would sign, and botbuilder verifies it with its usual code against the fake's JWKS.
 */

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** A JWK as the Bot Framework publishes it: `endorsements` lists the channels a key may sign for. */
export interface PublicJwk {
  kty: 'RSA';
  use: 'sig';
  kid: string;
  n: string;
  e: string;
  endorsements?: string[];
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: randomBytes(12).toString('base64url'), privateKey, publicKey };
}

export function publicJwk(key: SigningKey, endorsements?: string[]): PublicJwk {
  const jwk = z.object({ n: z.string(), e: z.string() }).parse(key.publicKey.export({ format: 'jwk' }));
  return { kty: 'RSA', use: 'sig', kid: key.kid, n: jwk.n, e: jwk.e, ...(endorsements ? { endorsements } : {}) };
}

const encode = (value: object) => Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');

export function signJwt(payload: Record<string, unknown>, key: SigningKey): string {
  const head = encode({ alg: 'RS256', typ: 'JWT', kid: key.kid });
  const body = encode(payload);
  const signature = sign('RSA-SHA256', Buffer.from(`${head}.${body}`), key.privateKey).toString('base64url');
  return `${head}.${body}.${signature}`;
}

/** A token with `alg: none` and no signature: what a forger without the key can send. */
export function unsignedJwt(payload: Record<string, unknown>, kid?: string): string {
  return `${encode({ alg: 'none', typ: 'JWT', ...(kid ? { kid } : {}) })}.${encode(payload)}.`;
}

const HeaderSchema = z.object({ alg: z.string(), kid: z.string().optional() });
const ClaimsSchema = z.record(z.string(), z.unknown());

function decodePart<S extends z.ZodType>(part: string | undefined, schema: S): z.infer<S> | undefined {
  if (!part) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Verifies an RS256 token against known keys and its time window; returns its claims or why not. */
export function verifyJwt(
  token: string,
  keys: readonly SigningKey[],
  nowSeconds: number,
): { ok: true; claims: Record<string, unknown> } | { ok: false; reason: string } {
  const [head, body, signature] = token.split('.');
  const header = decodePart(head, HeaderSchema);
  const claims = decodePart(body, ClaimsSchema);
  if (!header || !claims || signature === undefined) return { ok: false, reason: 'malformed token' };
  if (header.alg !== 'RS256') return { ok: false, reason: `algorithm ${header.alg} is not accepted` };
  const key = keys.find((k) => k.kid === header.kid);
  if (!key) return { ok: false, reason: 'unknown signing key' };
  const valid = verify('RSA-SHA256', Buffer.from(`${head}.${body}`), key.publicKey, Buffer.from(signature, 'base64url'));
  if (!valid) return { ok: false, reason: 'bad signature' };
  const exp = typeof claims['exp'] === 'number' ? claims['exp'] : 0;
  const nbf = typeof claims['nbf'] === 'number' ? claims['nbf'] : 0;
  if (exp <= nowSeconds) return { ok: false, reason: 'token expired' };
  if (nbf > nowSeconds + 300) return { ok: false, reason: 'token not yet valid' };
  return { ok: true, claims };
}
