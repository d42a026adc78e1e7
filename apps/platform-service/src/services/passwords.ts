import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * Argon2id with the library defaults (m=19456 KiB, t=2, p=1): the OWASP minimum, ~20-50 ms per
 * hash here. `Algorithm` is an ambient const enum, unusable under isolatedModules, hence the literal.
 */
const ARGON2ID: Algorithm = 2;

export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID });
}

/** False for a wrong password and for a malformed stored hash (never throws: a login just fails). */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Computes the hash used by `verifyAgainstDummy` now, so even the first unknown-user login takes as
 * long as a real verify (otherwise its extra `hash` would be measurable).
 */
export function warmUpPasswords(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(24).toString('base64url'));
  return dummyHash;
}

/**
 * Spends the time of one real verify for a user that does not exist, so response timing does not
 * tell an attacker which usernames exist. Always false.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  await verifyPassword(await warmUpPasswords(), password);
  return false;
}
