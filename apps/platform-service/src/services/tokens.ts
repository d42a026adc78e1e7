import { randomUUID } from 'node:crypto';
import { SignJWT, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import {
  ACCESS_TOKEN_AUDIENCE,
  ALLOWED_JWT_ALGORITHMS,
  AppError,
  accessTokenClaimsSchema,
  type AccessTokenClaims,
  type ErrorCode,
} from '@kestrel/contracts';
import { KEY_ALG, type KeyStore } from './keys.ts';

export interface AccessTokens {
  sign(claims: AccessTokenClaims): Promise<string>;
  /** Verifies like any other verifier would (alg allow-list, kid, signature, iss, aud, exp) and parses the claims. */
  verify(token: string): Promise<AccessTokenClaims & JWTPayload>;
}

export function createAccessTokens(keys: KeyStore, options: { issuer: string; ttlSeconds: number; now?: () => number }): AccessTokens {
  const nowSeconds = () => Math.floor((options.now ?? Date.now)() / 1000);
  return {
    async sign(claims) {
      const { kid, privateKey } = await keys.active();
      const iat = nowSeconds();
      return new SignJWT({ tid: claims.tid, roles: claims.roles, usr: claims.usr })
        .setProtectedHeader({ alg: KEY_ALG, kid, typ: 'JWT' })
        .setIssuer(options.issuer)
        .setAudience(ACCESS_TOKEN_AUDIENCE)
        .setSubject(claims.sub)
        .setIssuedAt(iat)
        .setExpirationTime(iat + options.ttlSeconds)
        .setJti(randomUUID())
        .sign(privateKey);
    },
    async verify(token) {
      let header;
      try {
        header = decodeProtectedHeader(token);
      } catch {
        throw new AppError('AUTH_TOKEN_MALFORMED');
      }
      // Checked before any key look-up: `none`, HS256 (key confusion) and the rest never reach a verifier.
      if (!(ALLOWED_JWT_ALGORITHMS as readonly string[]).includes(String(header.alg))) throw new AppError('AUTH_TOKEN_ALGORITHM');
      if (typeof header.kid !== 'string') throw new AppError('AUTH_TOKEN_UNKNOWN_KEY');
      const key = await keys.verificationKey(header.kid);
      if (!key) throw new AppError('AUTH_TOKEN_UNKNOWN_KEY');
      try {
        const { payload } = await jwtVerify(token, key, {
          algorithms: [...ALLOWED_JWT_ALGORITHMS],
          issuer: options.issuer,
          audience: ACCESS_TOKEN_AUDIENCE,
          requiredClaims: ['exp', 'iat', 'sub'],
          clockTolerance: 5,
          currentDate: new Date(nowSeconds() * 1000),
        });
        const claims = accessTokenClaimsSchema.safeParse(payload);
        if (!claims.success) throw new AppError('AUTH_TOKEN_CLAIMS');
        return { ...payload, ...claims.data };
      } catch (err) {
        if (err instanceof AppError) throw err;
        throw new AppError(joseErrorCode(err));
      }
    },
  };
}

function joseErrorCode(err: unknown): ErrorCode {
  if (err instanceof errors.JWTExpired) return 'AUTH_TOKEN_EXPIRED';
  if (err instanceof errors.JWTClaimValidationFailed) return 'AUTH_TOKEN_CLAIMS';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'AUTH_TOKEN_ALGORITHM';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'AUTH_TOKEN_SIGNATURE';
  return 'AUTH_TOKEN_MALFORMED';
}
