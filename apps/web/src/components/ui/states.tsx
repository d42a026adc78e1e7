import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { isApiError } from '@kestrel/api-client';
import { Button } from './button.tsx';

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="state" role="status">
      <span className="spinner" aria-hidden="true" /> {label}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state">{children}</div>;
}

/** A failed load: the server's message (it says what to do), its request id, and a retry. */
export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const message = error instanceof Error ? error.message : 'Something went wrong.';
  return (
    <div className="state" role="alert">
      <div>{message}</div>
      {isApiError(error) && error.requestId && <div className="muted">request id <span className="mono">{error.requestId}</span></div>}
      {onRetry && (
        <div style={{ marginTop: 8 }}>
          <Button onClick={onRetry}>Retry</Button>
        </div>
      )}
    </div>
  );
}

/**
 * Renders a query's three states the same way everywhere: a spinner while the first answer is on
 * its way, the error with a retry, the empty state when `isEmpty` says so, else the data.
 */
export function QueryState<T>({ query, isEmpty, empty, children, loadingLabel }: { query: UseQueryResult<T>; isEmpty?: (data: T) => boolean; empty?: ReactNode; children: (data: T) => ReactNode; loadingLabel?: string }) {
  if (query.isPending) return <Loading {...(loadingLabel ? { label: loadingLabel } : {})} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (isEmpty?.(query.data)) return <Empty>{empty ?? 'Nothing here yet.'}</Empty>;
  return <>{children(query.data)}</>;
}
