import { useState } from 'react';

/** A long list shown a page at a time (a run's trades, a sweep's ranking): the rows of the current page and how to move. */
export function useSlicePages<T>(items: readonly T[], size: number) {
  const pages = Math.max(1, Math.ceil(items.length / size));
  const [page, setPage] = useState(0);
  const current = Math.min(page, pages - 1);
  return {
    rows: items.slice(current * size, (current + 1) * size),
    /** Index of the first row shown, in `items`. */
    offset: current * size,
    position: `${items.length === 0 ? 0 : current * size + 1}–${Math.min(items.length, (current + 1) * size)} of ${items.length.toLocaleString('en-US')}`,
    previous: current > 0 ? () => setPage(current - 1) : null,
    next: current < pages - 1 ? () => setPage(current + 1) : null,
  };
}
