import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { eq, pgErrorOf, signingKeys, sql, type Database } from '@kestrel/db';

/**
 * Ed25519 signing keys for access tokens, stored in `signing_keys` (platform-wide, owner
 * connection: the table is not tenant-owned and the app role has no grant on it).
 *
 * Exactly one key is active (a partial unique index enforces it). Rotation retires it; a retired key
 * stays published in the JWKS for the access-token lifetime plus a grace, so tokens it signed keep
 * verifying until they expire anyway. The grace covers the cache below (another instance may sign
 * with the old key for up to RELOAD_MS after a rotation) and clock skew between services.
 */
export const KEY_ALG = 'EdDSA';
const RELOAD_MS = 60_000;
const RETIRED_GRACE_MS = RELOAD_MS + 60_000;

export interface ActiveSigningKey {
  kid: string;
  privateKey: CryptoKey;
}

export type PublicJwk = JWK & { kid: string; alg: typeof KEY_ALG; use: 'sig' };

interface VerificationKey {
  jwk: PublicJwk;
  key: CryptoKey;
}

interface Snapshot {
  loadedAt: number;
  active: ActiveSigningKey;
  published: Map<string, VerificationKey>;
}

export interface KeyStore {
  /** Loads the keys, creating the first one when the table is empty. Call once at start. */
  init(): Promise<void>;
  active(): Promise<ActiveSigningKey>;
  /** Public keys a verifier should accept: the active one and retired ones not yet expired. */
  jwks(): Promise<{ keys: PublicJwk[] }>;
  /** The public key for `kid`, re-reading the table once on a miss (another instance may have rotated). */
  verificationKey(kid: string): Promise<CryptoKey | undefined>;
  rotate(): Promise<{ kid: string; retiredKid: string | null }>;
}

export function createKeyStore(database: Database, options: { accessTokenTtlSeconds: number; now?: () => number }): KeyStore {
  const now = options.now ?? Date.now;
  const retention = options.accessTokenTtlSeconds * 1000 + RETIRED_GRACE_MS;
  let snapshot: Snapshot | undefined;

  async function load(): Promise<Snapshot> {
    const rows = await database.db.select().from(signingKeys);
    const t = now();
    let active: ActiveSigningKey | undefined;
    const published = new Map<string, VerificationKey>();
    for (const row of rows) {
      const stillPublished = row.status === 'active' || (row.retiredAt !== null && row.retiredAt.getTime() + retention > t);
      if (row.status === 'active') {
        active = { kid: row.kid, privateKey: (await importJWK(row.privateJwk as JWK, KEY_ALG)) as CryptoKey };
      }
      if (stillPublished) {
        const jwk: PublicJwk = { ...(row.publicJwk as JWK), kid: row.kid, alg: KEY_ALG, use: 'sig' };
        published.set(row.kid, { jwk, key: (await importJWK(jwk, KEY_ALG)) as CryptoKey });
      }
    }
    if (!active) throw new Error('no active signing key');
    snapshot = { loadedAt: t, active, published };
    return snapshot;
  }

  async function current(): Promise<Snapshot> {
    if (snapshot && now() - snapshot.loadedAt < RELOAD_MS) return snapshot;
    return load();
  }

  return {
    async init() {
      const [existing] = await database.db.select({ kid: signingKeys.kid }).from(signingKeys).where(eq(signingKeys.status, 'active'));
      if (!existing) {
        try {
          await database.db.insert(signingKeys).values(await newKeyRow());
        } catch (err) {
          // Another instance starting at the same time inserted the first key: use theirs.
          if (pgErrorOf(err).code !== '23505') throw err;
        }
      }
      await load();
    },
    async active() {
      return (await current()).active;
    },
    async jwks() {
      return { keys: [...(await current()).published.values()].map((k) => k.jwk) };
    },
    async verificationKey(kid) {
      const hit = (await current()).published.get(kid);
      if (hit) return hit.key;
      return (await load()).published.get(kid)?.key;
    },
    async rotate() {
      const row = await newKeyRow();
      const retiredKid = await database.db.transaction(async (tx) => {
        // Serialise rotations: two at once would otherwise both insert an active key.
        await tx.execute(sql`select pg_advisory_xact_lock(hashtext('kestrel_signing_keys'))`);
        const retired = await tx
          .update(signingKeys)
          .set({ status: 'retired', retiredAt: new Date(now()) })
          .where(eq(signingKeys.status, 'active'))
          .returning({ kid: signingKeys.kid });
        await tx.insert(signingKeys).values(row);
        return retired[0]?.kid ?? null;
      });
      await load();
      return { kid: row.kid, retiredKid };
    },
  };
}

async function newKeyRow(): Promise<typeof signingKeys.$inferInsert> {
  const { publicKey, privateKey } = await generateKeyPair(KEY_ALG, { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { kid, alg: KEY_ALG, status: 'active', publicJwk: { ...publicJwk }, privateJwk: { ...(await exportJWK(privateKey)) } };
}
