import { describe, expect, it } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import { LifecycleTimeline, type LifecycleStep } from './lifecycle-timeline.tsx';

/** A manual limit order cancelled by its trader, as the paper venue answers it (API guide §2.5). */
const cancelled: LifecycleStep[] = [
  { at: '2026-11-29T00:49:38.315Z', from: 'new', to: 'submitted', event: 'OrderSubmitted', source: 'exchange', reason: 'the venue reported the order before its submit outcome was recorded' },
  { at: '2026-11-29T00:49:38.315Z', from: 'submitted', to: 'accepted', event: 'OrderAccepted', source: 'exchange', reason: null },
  { at: '2026-11-29T00:49:44.633Z', from: 'accepted', to: 'cancel_requested', event: 'OrderCancelRequested', source: 'local', reason: 'cancel requested' },
  { at: '2026-11-29T00:49:44.670Z', from: 'cancel_requested', to: 'cancelled', event: 'OrderCancelled', source: 'exchange', reason: null },
];

describe('LifecycleTimeline', () => {
  it('lists every step oldest first, with its time, transition, event, who caused it and why', () => {
    render(<LifecycleTimeline steps={cancelled} />);
    const list = screen.getByRole('list', { name: 'Order lifecycle' });
    const steps = within(list).getAllByRole('listitem');
    expect(steps.map((s) => within(s).getByText(/→/).textContent)).toEqual(['new → submitted', 'submitted → accepted', 'accepted → cancel_requested', 'cancel_requested → cancelled']);
    expect(within(steps[0]!).getByText('2026-11-29 00:49:38')).toBeTruthy();
    expect(within(steps[0]!).getByText('OrderSubmitted')).toBeTruthy();
    expect(within(steps[0]!).getByText('exchange')).toBeTruthy();
    expect(within(steps[0]!).getByText('the venue reported the order before its submit outcome was recorded')).toBeTruthy();
    // Kestrel's own steps are named as such, not as "local".
    expect(within(steps[2]!).getByText('Kestrel')).toBeTruthy();
    expect(within(steps[2]!).getByText('cancel requested')).toBeTruthy();
    expect(steps.map((s) => s.getAttribute('data-source'))).toEqual(['exchange', 'exchange', 'local', 'exchange']);
  });

  it('shows times in the user’s time zone', () => {
    render(<LifecycleTimeline steps={cancelled.slice(0, 1)} timeZone="Asia/Tokyo" />);
    expect(screen.getByText('2026-11-29 09:49:38')).toBeTruthy();
  });

  it('marks how an order ended: filled apart from lost or never sent, and names reconciliation as the cause', () => {
    const lost: LifecycleStep[] = [
      { at: '2026-11-29T01:00:00.000Z', from: 'new', to: 'submitted', event: 'OrderSubmitted', source: 'local', reason: 'ambiguous submit: timeout' },
      { at: '2026-11-29T01:05:00.000Z', from: 'submitted', to: 'expired', event: 'OrderExpired', source: 'reconciliation', reason: 'LOST: the venue does not know the order after 3 lookups' },
    ];
    const { unmount } = render(<LifecycleTimeline steps={lost} />);
    const last = screen.getAllByTestId('lifecycle-step').at(-1)!;
    expect(last.getAttribute('data-terminal')).toBe('bad');
    expect(within(last).getByText('reconciliation')).toBeTruthy();
    expect(within(last).getByText(/^LOST: /)).toBeTruthy();
    unmount();

    render(<LifecycleTimeline steps={[{ at: '2026-11-29T01:00:00.000Z', from: 'accepted', to: 'filled', event: 'OrderFilled', source: 'exchange', reason: '0.05 @ 16814.2 (trade 1795920830885004)' }]} />);
    expect(screen.getByTestId('lifecycle-step').getAttribute('data-terminal')).toBe('filled');
  });

  it('says so when nothing was recorded yet', () => {
    render(<LifecycleTimeline steps={[]} />);
    expect(screen.getByText('No lifecycle steps recorded yet.')).toBeTruthy();
  });
});
