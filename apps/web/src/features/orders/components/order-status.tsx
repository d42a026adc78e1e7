import type { OrderView } from '@kestrel/contracts';
import { Badge, type Tone } from '../../../components/ui/badge.tsx';

const TONES: Record<OrderView['status'], Tone> = {
  new: 'neutral',
  submitted: 'accent',
  accepted: 'accent',
  partially_filled: 'warn',
  filled: 'up',
  cancel_requested: 'warn',
  cancelled: 'neutral',
  rejected: 'down',
  expired: 'down',
};

export const OPEN_STATUSES: ReadonlyArray<OrderView['status']> = ['new', 'submitted', 'accepted', 'partially_filled', 'cancel_requested'];

export function OrderStatus({ status }: { status: OrderView['status'] }) {
  return <Badge tone={TONES[status]}>{status.replace('_', ' ')}</Badge>;
}

export function Side({ side }: { side: OrderView['side'] }) {
  return <span className={side === 'buy' ? 'up' : 'down'}>{side.toUpperCase()}</span>;
}
