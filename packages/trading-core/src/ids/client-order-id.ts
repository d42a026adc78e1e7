import { err, ok, type Result } from '../errors/codes.ts';

/**
 * Deterministic client order ids.
 *
 * `clientOrderId(profileId, decisionSeq)` = "k" + the profile UUID's 128 bits in base62 (always 22
 * characters) + the decision sequence in base62 (1–9 characters). The same profile and sequence
 * always give the same id, so an intent written before sending can be re-sent or looked up by
 * the same id after a crash or a time-out; two profiles or two sequences never share one (the
 * encoding is injective and `parseClientOrderId` reverses it).
 *
 * At most 32 characters of [0-9A-Za-z]: accepted by venues with the strictest rules we know of
 * (alphanumeric, ≤ 32), and within the usual ≤ 36 of [A-Za-z0-9-_].
 */
const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const BASE = 62n;
const PROFILE_WIDTH = 22;
const PREFIX = 'k';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const CLIENT_ORDER_ID = /^k[0-9A-Za-z]{23,31}$/;

export const CLIENT_ORDER_ID_MAX_LENGTH = 32;

export function clientOrderId(profileId: string, decisionSeq: number): Result<string, 'ID_INVALID_PROFILE_ID' | 'ID_INVALID_SEQUENCE'> {
  let prefix = lastProfileId === profileId ? lastPrefix : null;
  if (prefix === null) {
    if (!UUID.test(profileId)) return err('ID_INVALID_PROFILE_ID', `profile id is not a UUID: ${JSON.stringify(profileId.slice(0, 40))}`);
    prefix = PREFIX + toBase62(BigInt('0x' + profileId.replace(/-/g, ''))).padStart(PROFILE_WIDTH, '0');
  }
  if (!Number.isSafeInteger(decisionSeq) || decisionSeq < 1) {
    return err('ID_INVALID_SEQUENCE', `decision sequence must be a positive safe integer, got ${decisionSeq}`);
  }
  // A profile decides many times in a row: its encoded part is kept for the next call.
  lastProfileId = profileId;
  lastPrefix = prefix;
  return ok(prefix + seqToBase62(decisionSeq));
}

let lastProfileId: string | null = null;
let lastPrefix: string | null = null;

/** Base62 of a positive safe integer with plain number arithmetic (exact below 2^53). */
function seqToBase62(n: number): string {
  let out = '';
  while (n > 0) {
    const q = Math.floor(n / 62);
    out = ALPHABET[n - q * 62] + out;
    n = q;
  }
  return out;
}

/** Reverses `clientOrderId`: which profile and which decision an order came from. */
export function parseClientOrderId(id: string): Result<{ profileId: string; decisionSeq: number }, 'ID_INVALID_CLIENT_ORDER_ID'> {
  if (!CLIENT_ORDER_ID.test(id)) return err('ID_INVALID_CLIENT_ORDER_ID', `not a Kestrel client order id: ${JSON.stringify(id.slice(0, 40))}`);
  const profileBits = fromBase62(id.slice(1, 1 + PROFILE_WIDTH));
  const seq = fromBase62(id.slice(1 + PROFILE_WIDTH));
  if (profileBits >= 1n << 128n || seq < 1n || seq > BigInt(Number.MAX_SAFE_INTEGER)) {
    return err('ID_INVALID_CLIENT_ORDER_ID', `not a Kestrel client order id: ${id}`);
  }
  const hex = profileBits.toString(16).padStart(32, '0');
  const profileId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  const decisionSeq = Number(seq);
  // Only the canonical spelling (no zero-padded sequence) is ours.
  const again = clientOrderId(profileId, decisionSeq);
  if (!again.ok || again.value !== id) return err('ID_INVALID_CLIENT_ORDER_ID', `not a canonical Kestrel client order id: ${id}`);
  return ok({ profileId, decisionSeq });
}

function toBase62(n: bigint): string {
  if (n === 0n) return '0';
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % BASE)] + out;
    n /= BASE;
  }
  return out;
}

function fromBase62(s: string): bigint {
  let n = 0n;
  for (const ch of s) n = n * BASE + BigInt(ALPHABET.indexOf(ch));
  return n;
}
