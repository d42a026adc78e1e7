import { useState } from 'react';

/**
 * Cursor pagination as the API does it (§6 of the API guide): the cursors of the pages walked so
 * far, so "newer" goes back one page and "older" follows `nextCursor`. A new `resetKey` (other
 * filters) starts again from the first page.
 */
export function useCursorPages(resetKey: string) {
  const [cursors, setCursors] = useState<string[]>([]);
  const [key, setKey] = useState(resetKey);
  if (key !== resetKey) {
    setKey(resetKey);
    setCursors([]);
  }
  return {
    cursor: cursors[cursors.length - 1],
    /** 1 for the newest page. */
    page: cursors.length + 1,
    newer: () => setCursors(cursors.slice(0, -1)),
    older: (nextCursor: string) => setCursors([...cursors, nextCursor]),
  };
}
