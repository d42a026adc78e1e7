import { createRemoteJWKSet, errors, jwtVerify, type JWTVerifyGetKey } from 'jose';
import { ACCESS_TOKEN_AUDIENCE, ALLOWED_JWT_ALGORITHMS, AppError, accessTokenClaimsSchema, type Role } from '@kestrel/contracts';

export interface AuthContext {
  userId: string;
  tenantId: string;
  username: string;
  roles: Role[];
  /** Expiry, epoch seconds. */
  exp: number;
}

export interface TokenVerifierOptions {
  jwksUrl: string;
  issuer: string;
  cooldownMs: number;
  cacheSize: number;
  /** Forwarded on JWKS fetches so platform-service logs show who asked. */
  headers?: Record<string, string>;
  now?: () => number;
}

/**
 * Verifies access tokens against platform-service's JWKS.
 *
 * - Algorithm allow-list (EdDSA only): `alg: none`, and HS256 signed with the public key, are refused.
 * - `iss`, `aud`, `exp` (and `sub`) are required.
 * - Unknown `kid`: jose re-fetches the JWKS at most once per cooldown window, so forged kids
 *   cannot make the backend hammer platform-service.
 * - Verified tokens are cached (bounded, keyed by the exact token string, expiring with the
 *   token): signature checks dominate an authenticated request otherwise.
 */
export class TokenVerifier {
  private readonly jwks: JWTVerifyGetKey;
  private readonly cache = new Map<string, AuthContext>();
  private readonly now: () => number;

  constructor(private readonly options: TokenVerifierOptions) {
    this.jwks = createRemoteJWKSet(new URL(options.jwksUrl), {
      cooldownDuration: options.cooldownMs,
      cacheMaxAge: 10 * 60_000,
      timeoutDuration: 3_000,
      ...(options.headers ? { headers: options.headers } : {}),
    });
    this.now = options.now ?? Date.now;
  }

  async verify(token: string): Promise<AuthContext> {
    const cached = this.cache.get(token);
    if (cached) {
      if (cached.exp * 1000 > this.now()) return cached;
      this.cache.delete(token);
      throw new AppError('AUTH_TOKEN_EXPIRED');
    }
    const ctx = await this.verifyUncached(token);
    if (this.options.cacheSize > 0) {
      if (this.cache.size >= this.options.cacheSize) {
        // Evict the oldest entry (Map keeps insertion order).
        const oldest = this.cache.keys().next();
        if (!oldest.done) this.cache.delete(oldest.value);
      }
      this.cache.set(token, ctx);
    }
    return ctx;
  }

  private async verifyUncached(token: string): Promise<AuthContext> {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        algorithms: [...ALLOWED_JWT_ALGORITHMS],
        issuer: this.options.issuer,
        audience: ACCESS_TOKEN_AUDIENCE,
        requiredClaims: ['exp', 'sub', 'iss', 'aud'],
        currentDate: new Date(this.now()),
      }));
    } catch (err) {
      throw translateJoseError(err);
    }
    const claims = accessTokenClaimsSchema.safeParse(payload);
    if (!claims.success) throw new AppError('AUTH_TOKEN_CLAIMS', 'The access token lacks the tenant, roles or user claims; sign in again.');
    return {
      userId: claims.data.sub,
      tenantId: claims.data.tid,
      username: claims.data.usr,
      roles: claims.data.roles,
      exp: payload.exp as number,
    };
  }
}

function translateJoseError(err: unknown): AppError {
  if (err instanceof errors.JWTExpired) return new AppError('AUTH_TOKEN_EXPIRED');
  if (err instanceof errors.JWTClaimValidationFailed) {
    return new AppError('AUTH_TOKEN_CLAIMS', `The access token's "${err.claim}" claim is missing or not accepted; sign in again.`);
  }
  if (err instanceof errors.JOSEAlgNotAllowed || err instanceof errors.JOSENotSupported) return new AppError('AUTH_TOKEN_ALGORITHM');
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return new AppError('AUTH_TOKEN_UNKNOWN_KEY');
  if (err instanceof errors.JWSSignatureVerificationFailed) return new AppError('AUTH_TOKEN_SIGNATURE');
  if (err instanceof errors.JWKSTimeout || err instanceof errors.JWKSInvalid || isFetchFailure(err)) {
    return new AppError('DEPENDENCY_UNAVAILABLE', 'Cannot reach platform-service to check the token signing keys; try again shortly.');
  }
  if (err instanceof errors.JOSEError) return new AppError('AUTH_TOKEN_MALFORMED');
  return new AppError('AUTH_TOKEN_MALFORMED');
}

function isFetchFailure(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof Error && /fetch|ECONNREFUSED|Expected 200 OK/i.test(err.message));
}

/** The bearer token of an Authorization header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const m = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  return m?.[1];
}
