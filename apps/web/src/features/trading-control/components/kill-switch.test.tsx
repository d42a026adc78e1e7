import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { KestrelClient } from '@kestrel/api-client';
import { renderWithApp, signedIn } from '../../../testing/harness.tsx';
import { KillSwitchPanel } from './kill-switch.tsx';

/** The kill switch against the real backend: nothing changes until the confirmation, with a reason. */
describe('KillSwitchPanel', () => {
  let admin: KestrelClient;
  let operator: KestrelClient;
  beforeAll(async () => {
    admin = await signedIn('admin');
    operator = await signedIn('operator');
  });
  afterAll(async () => {
    await admin.api.tradingControl.update({ scope: 'tenant', tradingEnabled: true });
    await operator.api.tradingControl.update({ scope: 'global', tradingEnabled: true });
    for (const c of [admin, operator]) c.session.dispose();
  });

  it('halts the tenant only after the admin confirms with a reason; cancelling changes nothing', async () => {
    const user = userEvent.setup();
    renderWithApp(<KillSwitchPanel />, admin);
    const tenant = await screen.findByTestId('switch-tenant');
    expect(within(tenant).getByText('Trading on')).toBeTruthy();

    // Open, then cancel: no request, trading still on.
    await user.click(within(tenant).getByRole('button', { name: 'Halt trading' }));
    const dialog = await screen.findByRole('dialog', { name: 'Halt trading for this tenant?' });
    expect(within(dialog).getByText(/becomes/).textContent).toMatch(/open orders are cancelled/);
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect((await admin.api.tradingControl.get()).tenant.tradingEnabled).toBe(true);

    // Open again: the confirm button waits for a reason.
    await user.click(within(tenant).getByRole('button', { name: 'Halt trading' }));
    const again = await screen.findByRole('dialog', { name: 'Halt trading for this tenant?' });
    const confirm = within(again).getByRole('button', { name: 'Halt trading' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    await user.type(within(again).getByLabelText('Reason (kept in the audit log)'), 'exchange maintenance');
    expect(confirm.disabled).toBe(false);
    await user.click(confirm);

    await waitFor(() => expect(within(tenant).getByText('Halted')).toBeTruthy());
    expect(within(tenant).getByText(/“exchange maintenance” — admin/)).toBeTruthy();
    const server = await admin.api.tradingControl.get();
    expect(server.tenant).toMatchObject({ tradingEnabled: false, killSwitchReason: 'exchange maintenance', updatedBy: 'admin' });
    expect((await admin.api.admin.audit({ action: 'trading.control.tenant', limit: 1 })).items[0]?.after).toMatchObject({ killSwitchReason: 'exchange maintenance' });
  });

  it('resumes after its own confirmation; the global switch has no button for an admin', async () => {
    const user = userEvent.setup();
    await admin.api.tradingControl.update({ scope: 'tenant', tradingEnabled: false, killSwitchReason: 'before resume' });
    renderWithApp(<KillSwitchPanel />, admin);
    const tenant = await screen.findByTestId('switch-tenant');
    expect(within(screen.getByTestId('switch-global')).queryByRole('button')).toBeNull();
    await user.click(await within(tenant).findByRole('button', { name: 'Resume trading' }));
    const dialog = await screen.findByRole('dialog', { name: 'Resume trading for this tenant?' });
    expect(dialog.textContent).toMatch(/Halted bots stay halted/);
    await user.click(within(dialog).getByRole('button', { name: 'Resume trading' }));
    await waitFor(() => expect(within(tenant).getByText('Trading on')).toBeTruthy());
    expect((await admin.api.tradingControl.get()).tenant.tradingEnabled).toBe(true);
  });

  it('an operator halts the whole platform from the same panel', async () => {
    const user = userEvent.setup();
    renderWithApp(<KillSwitchPanel />, operator);
    const global = await screen.findByTestId('switch-global');
    await user.click(within(global).getByRole('button', { name: 'Halt all tenants' }));
    const dialog = await screen.findByRole('dialog', { name: 'Halt trading on the whole platform?' });
    await user.type(within(dialog).getByRole('textbox'), 'market-wide incident');
    await user.click(within(dialog).getByRole('button', { name: 'Halt all tenants' }));
    await waitFor(() => expect(within(global).getByText('Halted')).toBeTruthy());
    expect((await operator.api.tradingControl.get()).global).toMatchObject({ tradingEnabled: false, killSwitchReason: 'market-wide incident' });
    expect(screen.getByText(/No bot trades while a switch is off/)).toBeTruthy();
  });

  it('a viewer sees the state and no control at all', async () => {
    const viewer = await signedIn('viewer');
    renderWithApp(<KillSwitchPanel />, viewer);
    await screen.findByTestId('switch-tenant');
    expect(screen.queryAllByRole('button')).toHaveLength(0);
    viewer.session.dispose();
  });
});
