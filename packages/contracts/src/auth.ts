import { z } from 'zod';

export const ROLES = ['viewer', 'trader', 'admin', 'operator'] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** Token audience and issuer shared by platform-service (signer) and backend (verifier). */
export const ACCESS_TOKEN_AUDIENCE = 'kestrel-api';
export const ALLOWED_JWT_ALGORITHMS = ['EdDSA'] as const;

export const uuidSchema = z.uuid();

/** Claims of an access token beyond the registered ones (iss, aud, sub, exp, iat, jti). */
export const accessTokenClaimsSchema = z.object({
  sub: uuidSchema,
  tid: uuidSchema.describe('tenant id'),
  roles: z.array(roleSchema).min(1),
  usr: z.string().describe('username'),
});
export type AccessTokenClaims = z.infer<typeof accessTokenClaimsSchema>;

export const usernameSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(3)
  .max(64)
  .regex(/^[a-z0-9._@-]+$/, 'letters, digits and . _ @ - only');
export const passwordSchema = z.string().min(10, 'at least 10 characters').max(256);

export const loginRequestSchema = z
  .object({
    username: z.string().trim().toLowerCase().min(1).max(64),
    password: z.string().min(1).max(256),
    tenant: z.string().trim().min(1).max(64).optional().describe('tenant slug, when one username exists in several tenants'),
  })
  .strict()
  .meta({ id: 'LoginRequest' });
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const tokenPairSchema = z
  .object({
    accessToken: z.string(),
    refreshToken: z.string(),
    tokenType: z.literal('Bearer'),
    expiresIn: z.number().int().describe('access token lifetime in seconds'),
    refreshExpiresIn: z.number().int(),
    user: z.object({
      id: uuidSchema,
      username: z.string(),
      tenantId: uuidSchema,
      roles: z.array(roleSchema),
    }),
  })
  .meta({ id: 'TokenPair' });
export type TokenPair = z.infer<typeof tokenPairSchema>;

export const refreshRequestSchema = z.object({ refreshToken: z.string().min(16).max(512) }).strict().meta({ id: 'RefreshRequest' });
export const logoutRequestSchema = refreshRequestSchema.meta({ id: 'LogoutRequest' });

export const tenantSchema = z
  .object({
    id: uuidSchema,
    slug: z.string(),
    name: z.string(),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
  })
  .meta({ id: 'Tenant' });
export type Tenant = z.infer<typeof tenantSchema>;

export const tenantSlugSchema = z.string().trim().toLowerCase().min(2).max(64).regex(/^[a-z0-9-]+$/, 'lower-case letters, digits and - only');
export const createTenantRequestSchema = z
  .object({ slug: tenantSlugSchema, name: z.string().trim().min(1).max(200) })
  .strict()
  .meta({ id: 'CreateTenantRequest' });
export const updateTenantRequestSchema = z
  .object({ name: z.string().trim().min(1).max(200).optional(), status: z.enum(['active', 'disabled']).optional() })
  .strict()
  .meta({ id: 'UpdateTenantRequest' });

export const userSchema = z
  .object({
    id: uuidSchema,
    tenantId: uuidSchema,
    username: z.string(),
    displayName: z.string(),
    roles: z.array(roleSchema),
    status: z.enum(['active', 'disabled']),
    createdAt: z.string(),
  })
  .meta({ id: 'User' });
export type User = z.infer<typeof userSchema>;

/** Roles a tenant admin may grant; `operator` is granted only by an operator. */
export const tenantRoleSchema = z.enum(['viewer', 'trader', 'admin']);
export const createUserRequestSchema = z
  .object({
    username: usernameSchema,
    password: passwordSchema,
    displayName: z.string().trim().min(1).max(200).optional(),
    roles: z.array(roleSchema).min(1).max(4),
  })
  .strict()
  .meta({ id: 'CreateUserRequest' });
export const updateUserRequestSchema = z
  .object({
    displayName: z.string().trim().min(1).max(200).optional(),
    roles: z.array(roleSchema).min(1).max(4).optional(),
    status: z.enum(['active', 'disabled']).optional(),
    password: passwordSchema.optional(),
  })
  .strict()
  .meta({ id: 'UpdateUserRequest' });

export const jwksSchema = z.object({ keys: z.array(z.record(z.string(), z.unknown())) });
