import { ORDER_SIDES, ORDER_STATUSES, type Profile } from '@kestrel/contracts';
import { Field } from '../../../components/ui/field.tsx';

export interface OrderFilterValues {
  profileId?: string;
  status?: string;
  side?: string;
  symbol?: string;
  from?: string;
  to?: string;
}

/** Filters of the orders list; the page keeps them in the URL so a filtered view can be shared. */
export function OrderFilters({ values, profiles, onChange }: { values: OrderFilterValues; profiles: Profile[]; onChange: (v: OrderFilterValues) => void }) {
  const set = (k: keyof OrderFilterValues, v: string) => onChange({ ...values, [k]: v || undefined });
  return (
    <div className="filters" role="search" aria-label="Filter orders">
      <Field label="Bot">
        {(p) => (
          <select {...p} value={values.profileId ?? ''} onChange={(e) => set('profileId', e.target.value)}>
            <option value="">All bots</option>
            {profiles.map((pr) => (
              <option key={pr.id} value={pr.id}>
                {pr.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Status">
        {(p) => (
          <select {...p} value={values.status ?? ''} onChange={(e) => set('status', e.target.value)}>
            <option value="">Any</option>
            {ORDER_STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Side">
        {(p) => (
          <select {...p} value={values.side ?? ''} onChange={(e) => set('side', e.target.value)}>
            <option value="">Both</option>
            {ORDER_SIDES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Symbol">{(p) => <input {...p} value={values.symbol ?? ''} placeholder="BTC/USDT" onChange={(e) => set('symbol', e.target.value.toUpperCase())} />}</Field>
      <Field label="From (UTC)">{(p) => <input {...p} type="datetime-local" value={values.from ?? ''} onChange={(e) => set('from', e.target.value)} />}</Field>
      <Field label="To (UTC)">{(p) => <input {...p} type="datetime-local" value={values.to ?? ''} onChange={(e) => set('to', e.target.value)} />}</Field>
    </div>
  );
}
