import { Link, useNavigate } from 'react-router-dom';
import type { OrderQuery } from '@kestrel/api-client';
import type { OrderView } from '@kestrel/contracts';
import { Pager } from '../../../components/ui/pager.tsx';
import { useCursorPages } from '../../../hooks/use-cursor-pages.ts';
import { Num } from '../../../components/ui/num.tsx';
import { QueryState } from '../../../components/ui/states.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { usePreferences } from '../../../lib/preferences.ts';
import { useOrders } from '../api/get-orders.ts';
import { OrderStatus, Side } from './order-status.tsx';

/**
 * A page of orders, newest first, with cursor paging (Newer / Older). Live: new orders and fills
 * refetch the page. A row opens the order's detail with its lifecycle.
 */
export function OrdersTable({ query, pageSize = 50, showProfile = true }: { query: Omit<OrderQuery, 'cursor' | 'limit'>; pageSize?: number; showProfile?: boolean }) {
  // New filters start from the first page.
  const pages = useCursorPages(JSON.stringify(query));
  const orders = useOrders({ ...query, limit: pageSize, ...(pages.cursor ? { cursor: pages.cursor } : {}) });
  const { timezone } = usePreferences();
  const navigate = useNavigate();
  return (
    <QueryState query={orders} isEmpty={(p) => p.items.length === 0 && pages.page === 1} empty="No orders match.">
      {(page) => (
        <>
          <div className="table-wrap">
            <table className="data" data-testid="orders-table">
              <thead>
                <tr>
                  <th>Created</th>
                  {showProfile && <th>Source</th>}
                  <th>Symbol</th>
                  <th>Side</th>
                  <th>Type</th>
                  <th className="r">Qty</th>
                  <th className="r">Price</th>
                  <th className="r">Filled</th>
                  <th className="r">Avg fill</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {page.items.map((o: OrderView) => (
                  <tr key={o.id} className="clickable" data-testid="order-row" data-status={o.status} onClick={() => navigate(`/orders/${o.id}`)}>
                    <td className="num">
                      <Link to={`/orders/${o.id}`} onClick={(e) => e.stopPropagation()}>
                        {formatDateTime(o.createdAt, timezone)}
                      </Link>
                    </td>
                    {showProfile && <td className="muted">{o.source}</td>}
                    <td className="mono">{o.symbol}</td>
                    <td>
                      <Side side={o.side} />
                    </td>
                    <td className="muted">{o.type}</td>
                    <td className="r">
                      <Num value={o.quantity} />
                    </td>
                    <td className="r">
                      <Num value={o.price ?? o.stopPrice} />
                    </td>
                    <td className="r">
                      <Num value={o.filledQty} />
                    </td>
                    <td className="r">
                      <Num value={o.avgFillPrice} />
                    </td>
                    <td>
                      <OrderStatus status={o.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager label="Order pages" position={`Page ${pages.page}`} onPrevious={pages.page > 1 ? pages.newer : null} onNext={page.nextCursor ? () => pages.older(page.nextCursor!) : null} />
        </>
      )}
    </QueryState>
  );
}
