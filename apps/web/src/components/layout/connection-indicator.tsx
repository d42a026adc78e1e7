import type { ConnectionState } from '@kestrel/api-client';
import { useConnection } from '../../lib/realtime/realtime-provider.tsx';

const LABELS: Record<ConnectionState['status'], string> = {
  idle: 'Offline',
  connecting: 'Connecting…',
  connected: 'Live',
  reconnecting: 'Reconnecting…',
  refused: 'Refused',
  closed: 'Disconnected',
};

/** The live-data connection at a glance: green when events flow, amber while reconnecting, red when refused. */
export function ConnectionIndicator() {
  const state = useConnection();
  const label = state.status === 'reconnecting' && state.attempt > 0 ? `Reconnecting (attempt ${state.attempt})…` : LABELS[state.status];
  return (
    <span className="conn" data-status={state.status} data-testid="connection-indicator" role="status" title={state.error?.message ?? label}>
      <span className="conn-dot" aria-hidden="true" />
      <span>{label}</span>
      <span className="sr-only">live data connection</span>
    </span>
  );
}
