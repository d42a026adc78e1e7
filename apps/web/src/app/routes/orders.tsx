import { useSearchParams } from 'react-router-dom';
import type { OrderQuery } from '@kestrel/api-client';
import { Panel } from '../../components/ui/panel.tsx';
import { OrderFilters, type OrderFilterValues } from '../../features/orders/components/order-filters.tsx';
import { OrdersTable } from '../../features/orders/components/orders-table.tsx';
import { useProfiles } from '../../features/profiles/api/get-profiles.ts';

const KEYS = ['profileId', 'status', 'side', 'symbol', 'from', 'to'] as const;

/** Every order of the tenant: filters kept in the URL, cursor pages, a row opens the lifecycle. */
export default function OrdersRoute() {
  const [params, setParams] = useSearchParams();
  const profiles = useProfiles();
  const values: OrderFilterValues = Object.fromEntries(KEYS.flatMap((k) => (params.get(k) ? [[k, params.get(k)!]] : [])));
  const query = {
    ...values,
    // datetime-local inputs are read as UTC, as the labels say.
    ...(values.from ? { from: new Date(`${values.from}:00Z`).toISOString() } : {}),
    ...(values.to ? { to: new Date(`${values.to}:00Z`).toISOString() } : {}),
  } as Omit<OrderQuery, 'cursor' | 'limit'>;
  return (
    <>
      <div className="page-header">
        <h1>Orders</h1>
      </div>
      <Panel title="Orders" flush testId="orders">
        <OrderFilters
          values={values}
          profiles={profiles.data?.items ?? []}
          onChange={(v) => setParams(Object.fromEntries(Object.entries(v).filter(([, x]) => x)) as Record<string, string>, { replace: true })}
        />
        <OrdersTable query={query} />
      </Panel>
    </>
  );
}
