import { AppError } from '@kestrel/contracts';

/**
 * Cursors of lists ordered by (a timestamp, id) descending: base64url of "<ISO time>|<id>". The
 * next page goes on strictly after that row. Opaque to clients: they pass back `nextCursor`.
 */
export const encodeTimeCursor = (at: Date, id: string): string => Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');

/** The cursor's time and id; 400 VALIDATION_FAILED (saying what to send instead) for anything this API did not return. */
export function decodeTimeCursor(cursor: string): { at: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const date = new Date(at ?? '');
  if (!id || Number.isNaN(date.getTime()) || !/^[0-9a-f-]{36}$/.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'cursor is not one this API returned: pass the nextCursor of the previous page, or leave it out for the first page', {
      details: [{ path: '/cursor', where: 'querystring', message: 'unknown cursor' }],
    });
  }
  return { at: date, id };
}
