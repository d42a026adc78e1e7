/**
 * Keyset pagination on a unique, ordered text column (tenant slug, username): the cursor is the
 * last key of the previous page, base64url-encoded so clients treat it as opaque.
 */
export interface PageRequest {
  limit: number;
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export function decodeCursor(cursor: string | undefined): string | undefined {
  return cursor === undefined ? undefined : Buffer.from(cursor, 'base64url').toString('utf8');
}

/** `rows` was fetched with `limit + 1`: the extra row only tells whether another page exists. */
export function toPage<R, T>(rows: R[], limit: number, keyOf: (row: R) => string, map: (row: R) => T): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return {
    items: items.map(map),
    nextCursor: rows.length > limit && last !== undefined ? Buffer.from(keyOf(last), 'utf8').toString('base64url') : null,
  };
}
