// HS256 JWTs shaped like the ones ks-apiserver issues (pkg/apiserver/authentication/token/issuer.go):
// claims `username`, `token_type` (access_token | refresh_token), `sub`, `iss`, `iat`, `exp`.
// The @ks-console BFF only decodes the payload (it never checks the signature); the shim verifies it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenType = 'access_token' | 'refresh_token';

export interface TokenClaims {
  username: string;
  token_type: TokenType;
  sub: string;
  iss: string;
  iat: number;
  exp: number;
}

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');

export class JwtIssuer {
  readonly #secret: Buffer;

  constructor(
    readonly issuer = 'kubesphere',
    secret: Buffer = randomBytes(32),
  ) {
    this.#secret = secret;
  }

  issue(username: string, tokenType: TokenType, expiresInSeconds: number, now = Date.now()): string {
    const iat = Math.floor(now / 1000);
    const claims: TokenClaims = {
      username,
      token_type: tokenType,
      sub: username,
      iss: this.issuer,
      iat,
      exp: iat + expiresInSeconds,
    };
    const signingInput = `${b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${b64url(JSON.stringify(claims))}`;
    return `${signingInput}.${this.#sign(signingInput)}`;
  }

  /** The claims of a token this issuer signed, or an Error saying why it is not acceptable. */
  verify(token: string, expectedType: TokenType, now = Date.now()): TokenClaims | Error {
    const parts = token.split('.');
    if (parts.length !== 3) return new Error('malformed token');
    const [header, payload, signature] = parts as [string, string, string];
    let alg: unknown;
    let claims: Partial<TokenClaims>;
    try {
      alg = (JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown }).alg;
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Partial<TokenClaims>;
    } catch {
      return new Error('malformed token');
    }
    if (alg !== 'HS256') return new Error(`unexpected signature algorithm ${String(alg)}`);
    const expected = Buffer.from(this.#sign(`${header}.${payload}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given))
      return new Error('invalid signature');
    if (typeof claims.username !== 'string' || claims.username === '')
      return new Error('token has no username');
    if (claims.token_type !== expectedType)
      return new Error(`invalid token type ${String(claims.token_type)}`);
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return new Error('token is expired');
    return claims as TokenClaims;
  }

  #sign(input: string): string {
    return createHmac('sha256', this.#secret).update(input).digest('base64url');
  }
}

/** The payload of a JWT without verifying it (what the BFF does); undefined when it is not a JWT. */
export function decodeJwtPayload(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
