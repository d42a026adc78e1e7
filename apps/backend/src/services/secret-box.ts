import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { join } from 'node:path';

const VERSION = 'v1';

/**
 * Encryption at rest for exchange API keys and secrets: AES-256-GCM with a random 96-bit IV per
 * value, and the owning record and field as associated data, so a ciphertext copied onto another
 * account (or from the key column to the secret column) does not decrypt.
 * Stored form: `v1:<iv>:<tag>:<ciphertext>` (base64 parts). The plaintext never leaves this class
 * except to the exchange adapter that needs it.
 */
export class SecretBox {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length !== 32) throw new Error('SecretBox needs a 32-byte key');
    this.#key = Buffer.from(key);
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ct.toString('base64')].join(':');
  }

  decrypt(stored: string, context: string): string {
    const [version, iv, tag, ct] = stored.split(':');
    if (version !== VERSION || !iv || !tag || ct === undefined) throw new Error('not a SecretBox ciphertext');
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64'));
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64')), decipher.final()]).toString('utf8');
  }
}

/**
 * The key: EXCHANGE_SECRETS_KEY when set (required with DATABASE_URL, checked in config.ts);
 * otherwise, for the embedded database, `<dataDir>/exchange-secrets.key`, created with 0600
 * permissions on first start. Losing that file makes stored live-account secrets unreadable.
 */
export function loadSecretsKey(opts: { envKey: string | undefined; dataDir: string }): { key: Buffer; source: 'env' | 'file' | 'generated' } {
  if (opts.envKey) return { key: Buffer.from(opts.envKey, 'base64'), source: 'env' };
  const path = join(opts.dataDir, 'exchange-secrets.key');
  if (existsSync(path)) {
    const key = Buffer.from(readFileSync(path, 'utf8').trim(), 'base64');
    if (key.length !== 32) throw new Error(`${path} does not hold a 32-byte base64 key; restore it or set EXCHANGE_SECRETS_KEY`);
    return { key, source: 'file' };
  }
  mkdirSync(opts.dataDir, { recursive: true });
  const key = randomBytes(32);
  writeFileSync(path, key.toString('base64') + '\n', { mode: 0o600, flag: 'wx' });
  chmodSync(path, 0o600);
  return { key, source: 'generated' };
}
