import type { z } from 'zod';
import type { orderDetailSchema } from '@kestrel/contracts';
import { Button } from '../../../components/ui/button.tsx';
import { Num } from '../../../components/ui/num.tsx';
import { Panel } from '../../../components/ui/panel.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { TRADING_ROLES, useCan } from '../../../lib/kestrel.tsx';
import { usePreferences } from '../../../lib/preferences.ts';
import { useCancelOrder } from '../api/cancel-order.ts';
import { useOrder } from '../api/get-order.ts';
import { LifecycleTimeline } from './lifecycle-timeline.tsx';
import { OPEN_STATUSES, OrderStatus, Side } from './order-status.tsx';

type OrderDetail = z.infer<typeof orderDetailSchema>;

/** One order: its terms, its lifecycle as a timeline, and its fills; open orders can be cancelled. */
export function OrderDetailView({ orderId }: { orderId: string }) {
  const order = useOrder(orderId);
  const { timezone } = usePreferences();
  return (
    <QueryState query={order}>
      {(o) => (
        <div className="grid">
          <div className="span-5 stack">
            <Terms order={o} />
          </div>
          <div className="span-7 stack">
            <Panel title="Lifecycle" testId="lifecycle">
              <LifecycleTimeline steps={o.history} timeZone={timezone} />
            </Panel>
            <Fills order={o} />
          </div>
        </div>
      )}
    </QueryState>
  );
}

function Terms({ order: o }: { order: OrderDetail }) {
  const canCancel = useCan(...TRADING_ROLES) && OPEN_STATUSES.includes(o.status);
  const cancel = useCancelOrder();
  const { timezone } = usePreferences();
  return (
    <Panel
      title="Order"
      actions={
        canCancel && (
          <Button variant="danger" busy={cancel.isPending} onClick={() => cancel.mutate(o.id)}>
            Cancel order
          </Button>
        )
      }
    >
      <dl className="kv">
        <dt>Status</dt>
        <dd>
          <OrderStatus status={o.status} />
        </dd>
        <dt>Symbol</dt>
        <dd className="mono">{o.symbol}</dd>
        <dt>Side / type</dt>
        <dd>
          <Side side={o.side} /> {o.type} · {o.timeInForce}
          {o.reduceOnly && ' · reduce only'}
        </dd>
        <dt>Quantity</dt>
        <dd>
          <Num value={o.quantity} />
        </dd>
        <dt>Price</dt>
        <dd>
          <Num value={o.price} /> {o.stopPrice && <span className="muted">stop <Num value={o.stopPrice} /></span>}
        </dd>
        <dt>Filled</dt>
        <dd>
          <Num value={o.filledQty} /> {o.avgFillPrice && <span className="muted">@ <Num value={o.avgFillPrice} /></span>}
        </dd>
        <dt>Fees</dt>
        <dd>
          <Num value={o.fees} /> {o.feeCurrency}
        </dd>
        <dt>Source</dt>
        <dd>{o.source}</dd>
        <dt>Client id</dt>
        <dd className="mono">{o.clientOrderId}</dd>
        <dt>Venue id</dt>
        <dd className="mono">{o.venueOrderId ?? '—'}</dd>
        <dt>Created</dt>
        <dd className="num">{formatDateTime(o.createdAt, timezone)}</dd>
        <dt>Updated</dt>
        <dd className="num">{formatDateTime(o.updatedAt, timezone)}</dd>
      </dl>
      {cancel.isError && (
        <div className="alert alert-error" role="alert" style={{ marginTop: 8 }}>
          {cancel.error.message}
        </div>
      )}
    </Panel>
  );
}

function Fills({ order: o }: { order: OrderDetail }) {
  const { timezone } = usePreferences();
  return (
    <Panel title={`Fills (${o.fills.length})`} flush testId="fills">
      {o.fills.length === 0 ? (
        <div className="state">No fills.</div>
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th>Time</th>
              <th>Trade id</th>
              <th className="r">Qty</th>
              <th className="r">Price</th>
              <th className="r">Fee</th>
              <th>Liquidity</th>
            </tr>
          </thead>
          <tbody>
            {o.fills.map((f) => (
              <tr key={f.tradeId}>
                <td className="num">{formatDateTime(f.at, timezone)}</td>
                <td className="mono muted">{f.tradeId}</td>
                <td className="r">
                  <Num value={f.quantity} />
                </td>
                <td className="r">
                  <Num value={f.price} />
                </td>
                <td className="r">
                  <Num value={f.fee} /> <span className="muted">{f.feeCurrency}</span>
                </td>
                <td className="muted">{f.liquidity}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Panel>
  );
}
