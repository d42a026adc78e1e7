import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { KestrelClient } from '@kestrel/api-client';
import type { Profile, StrategyInfo } from '@kestrel/contracts';
import { fieldsFromSchema, initialInputs, issuesByField, valuesFromInputs } from '../../../components/schema-form/json-schema.ts';
import { SchemaFields } from '../../../components/schema-form/schema-form.tsx';
import { renderWithApp, signedIn } from '../../../testing/harness.tsx';
import { ConfigForm } from './config-editor.tsx';

/**
 * Forms generated from the strategies' JSON Schemas as the real backend publishes them, and the
 * server's own validation messages shown on the fields they are about.
 */
describe('forms generated from strategy schemas', () => {
  let trader: KestrelClient;
  let strategies: StrategyInfo[];
  let profile: Profile;
  const strategy = (id: string) => strategies.find((s) => s.id === id)!;

  beforeAll(async () => {
    trader = await signedIn('trader');
    strategies = (await trader.api.profiles.strategies()).items;
    const account = await trader.api.exchangeAccounts.create({ name: `Paper ${Date.now()}`, kind: 'paper', venue: 'paper' });
    profile = await trader.api.profiles.create({ name: 'Form bot', exchangeAccountId: account.id, symbol: 'BTC/USDT', timeframe: '1m', strategy: 'sma-cross', strategyParams: { fast: 5, slow: 20 }, rules: {}, riskLimits: {}, capitalAllocation: '1000', mode: 'paper' });
  });
  afterAll(() => trader?.session.dispose());

  it('generates one labelled input per parameter, with the description and bounds as hint and the defaults filled in', () => {
    const fields = fieldsFromSchema(strategy('sma-cross').paramsSchema);
    renderWithApp(<SchemaFields fields={fields} inputs={initialInputs(fields)} errors={{}} onChange={() => {}} />, trader);
    const fast = screen.getByLabelText('Fast SMA period') as HTMLInputElement;
    expect(fast.type).toBe('number');
    expect(fast.value).toBe('10');
    expect(fast.step).toBe('1');
    expect((screen.getByLabelText('Slow SMA period') as HTMLInputElement).value).toBe('30');
    const size = screen.getByLabelText('Order size') as HTMLInputElement;
    expect(size.value).toBe('');
    expect(size.step).toBe('any');
    const hint = document.getElementById(fast.getAttribute('aria-describedby')!)!;
    expect(hint.textContent).toBe('Candles in the fast simple moving average of closes. · at least 1, at most 9999');
    expect(document.getElementById(size.getAttribute('aria-describedby')!)!.textContent).toMatch(/more than 0, at most 1000000000000000 · optional$/);
  });

  it('marks required parameters (grid) and sends only what was filled in, as numbers', () => {
    const fields = fieldsFromSchema(strategy('grid').paramsSchema);
    expect(fields.map((f) => [f.name, f.kind, f.required])).toEqual([
      ['lower', 'number', true],
      ['upper', 'number', true],
      ['levels', 'integer', false],
      ['sizePerLevel', 'number', true],
    ]);
    expect(valuesFromInputs(fields, { lower: '15000', upper: ' 18000 ', levels: '', sizePerLevel: '0.01' })).toEqual({ lower: 15000, upper: 18000, sizePerLevel: 0.01 });
    expect(issuesByField([{ path: '/strategyParams/upper', message: 'upper (1) must be greater than lower (2)' }, { path: '/strategyParams', message: 'whole object' }, { path: '/name', message: 'elsewhere' }], '/strategyParams', fields)).toEqual({
      upper: 'upper (1) must be greater than lower (2)',
      '': 'whole object',
    });
  });

  it('shows the server’s validation message under the field it is about, and saves nothing until it is fixed', async () => {
    const user = userEvent.setup();
    renderWithApp(<ConfigForm profile={profile} strategies={strategies} />, trader);
    const fast = screen.getByLabelText('Fast SMA period') as HTMLInputElement;
    expect(fast.value).toBe('5');
    await user.clear(fast);
    await user.type(fast, '30');
    await user.click(screen.getByRole('button', { name: 'Save configuration' }));

    await waitFor(() => expect(fast.getAttribute('aria-invalid')).toBe('true'));
    const message = document.getElementById(fast.getAttribute('aria-describedby')!.split(' ').at(-1)!)!;
    expect(message.textContent).toBe('fast (30) must be less than slow (20)');
    // The form-level summary carries the server's message too (its code is STRATEGY_PARAMS_INVALID).
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toContainEqual(expect.stringContaining('fast: fast (30) must be less than slow (20)'));
    expect((await trader.api.profiles.get(profile.id)).strategyParams).toMatchObject({ fast: 5, slow: 20 });

    await user.clear(fast);
    await user.type(fast, '8');
    await user.click(screen.getByRole('button', { name: 'Save configuration' }));
    await screen.findByText('Saved.');
    expect(fast.getAttribute('aria-invalid')).toBe('false');
    expect((await trader.api.profiles.get(profile.id)).strategyParams).toMatchObject({ fast: 8, slow: 20 });
  });

  it('switching strategy regenerates the form from its schema; a missing required parameter is named by the server', async () => {
    const user = userEvent.setup();
    renderWithApp(<ConfigForm profile={await trader.api.profiles.get(profile.id)} strategies={strategies} />, trader);
    await user.selectOptions(screen.getByLabelText('Strategy'), 'grid');
    expect(screen.queryByLabelText('Fast SMA period')).toBeNull();
    expect((screen.getByLabelText('Levels') as HTMLInputElement).value).toBe('10');
    await user.type(screen.getByLabelText('Highest price'), '18000');
    await user.type(screen.getByLabelText('Size per level'), '0.01');
    await user.click(screen.getByRole('button', { name: 'Save configuration' }));

    const lower = screen.getByLabelText('Lowest price');
    await waitFor(() => expect(lower.getAttribute('aria-invalid')).toBe('true'));
    const field = lower.closest('.field') as HTMLElement;
    expect(within(field).getByRole('alert').textContent).toMatch(/lower/);
    expect((await trader.api.profiles.get(profile.id)).strategy).toBe('sma-cross');
  });

  it('is read-only for a viewer: no save button, inputs disabled', async () => {
    const viewer = await signedIn('viewer');
    renderWithApp(<ConfigForm profile={profile} strategies={strategies} />, viewer);
    expect((screen.getByLabelText('Fast SMA period') as HTMLInputElement).disabled).toBe(true);
    expect(screen.queryByRole('button', { name: 'Save configuration' })).toBeNull();
    viewer.session.dispose();
  });
});
