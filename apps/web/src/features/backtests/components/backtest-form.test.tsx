import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { KestrelClient } from '@kestrel/api-client';
import type { BacktestSummary, Profile, StrategyInfo } from '@kestrel/contracts';
import type { CoverageEntry } from '../../../lib/coverage.ts';
import { renderWithApp, signedIn } from '../../../testing/harness.tsx';
import { candlesCsv, randomWalk } from '../../market-data/testing/candles-csv.ts';
import { BacktestForm } from './backtest-form.tsx';

const START = Date.UTC(2021, 5, 1);
const MINUTE = 60_000;

/**
 * The backtest form against the real backend: fields generated from the strategies' schemas,
 * symbols and timeframes from what is stored, the server's refusals on the fields they are about
 * (nothing queued), then a run queued as submitted — for a strategy and for a bot.
 */
describe('backtest form', () => {
  let trader: KestrelClient;
  let strategies: StrategyInfo[];
  let coverage: CoverageEntry[];
  let bot: Profile;

  beforeAll(async () => {
    trader = await signedIn('trader');
    // The tenant's own candles: a symbol of its own at 1m, and the bot's symbol at 1m too (the bot trades 1s bars).
    await trader.api.marketData.upload({ symbol: 'WFORM/USDT', timeframe: '1m' }, candlesCsv(randomWalk(3000, START, MINUTE)));
    await trader.api.marketData.upload({ symbol: 'BTC/USDT', timeframe: '1m' }, candlesCsv(randomWalk(500, START, MINUTE, 3).map((b) => ({ ...b, close: b.close * 160 }))));
    strategies = (await trader.api.profiles.strategies()).items;
    coverage = (await trader.api.marketData.coverage()).items;
    const account = await trader.api.exchangeAccounts.create({ name: `Backtest paper ${Date.now()}`, kind: 'paper', venue: 'paper' });
    bot = await trader.api.profiles.create({ name: 'Backtested bot', exchangeAccountId: account.id, symbol: 'BTC/USDT', timeframe: '1s', strategy: 'sma-cross', strategyParams: { fast: 4, slow: 12, size: 0.01 }, rules: {}, riskLimits: {}, capitalAllocation: '2500', mode: 'paper' });
  });
  afterAll(() => trader?.session.dispose());

  const render = (onSubmitted: (run: BacktestSummary) => void = () => {}) => renderWithApp(<BacktestForm strategies={strategies} coverage={coverage} profiles={[bot]} onSubmitted={onSubmitted} />, trader);
  const field = (label: string) => screen.getByLabelText(label) as HTMLInputElement;
  const errorOf = (input: HTMLElement) => {
    const ids = (input.getAttribute('aria-describedby') ?? '').split(' ');
    return ids.map((id) => document.getElementById(id)).find((el) => el?.classList.contains('error'))?.textContent;
  };
  const onlySymbol = async (user: ReturnType<typeof userEvent.setup>, symbol: string) => {
    await user.selectOptions(field('Timeframe'), '1m');
    for (const box of screen.getAllByRole('checkbox') as HTMLInputElement[]) if (box.name === 'symbols' && box.checked !== (box.value === symbol)) await user.click(box);
  };
  // This file's own runs only: other web test files share the demo tenant and queue runs of their own meanwhile.
  const backtestCount = async () => (await trader.api.backtests.list({ limit: 200 })).items.filter((r) => r.symbols.includes('WFORM/USDT')).length;

  it('generates the parameter fields from the strategy’s schema and offers only stored symbols and timeframes', async () => {
    const user = userEvent.setup();
    render();
    expect(screen.getByTestId('backtest-form')).toBeTruthy();
    expect(field('Fast SMA period').value).toBe('10');
    expect(field('Fast SMA period').step).toBe('1');
    expect(field('Slow SMA period').value).toBe('30');
    expect(field('Order size').value).toBe('');

    expect([...field('Timeframe').querySelectorAll('option')].map((o) => o.value)).toContain('1m');
    await user.selectOptions(field('Timeframe'), '1m');
    const symbols = within(screen.getByRole('group', { name: 'Symbols' })).getAllByRole('checkbox') as HTMLInputElement[];
    expect(symbols.map((s) => s.value)).toEqual(expect.arrayContaining(['BTC/USDT', 'WFORM/USDT']));
    expect(symbols.map((s) => s.value)).toEqual(coverage.filter((c) => c.timeframe === '1m').map((c) => c.symbol).sort());
    await onlySymbol(user, 'WFORM/USDT');
    // The stored span of the chosen symbol is the range's hint.
    expect(document.getElementById(field('From (UTC)').getAttribute('aria-describedby')!)!.textContent).toBe('stored from 2021-06-01 00:00:00');

    await user.selectOptions(field('Strategy'), 'donchian-breakout');
    expect(screen.queryByLabelText('Fast SMA period')).toBeNull();
    expect(field('Entry channel').value).toBe('20');
    expect(field('Exit channel').value).toBe('10');
  });

  it('shows each server refusal on the field it is about, and queues nothing', async () => {
    const user = userEvent.setup();
    const before = await backtestCount();
    render();
    await onlySymbol(user, 'WFORM/USDT');
    const submit = screen.getByTestId('backtest-submit');

    // 1. A range that ends before it starts: the request's schema (VALIDATION_FAILED, /to).
    fireEvent.change(field('From (UTC)'), { target: { value: '2021-06-02T00:00' } });
    fireEvent.change(field('To (UTC)'), { target: { value: '2021-06-01T12:00' } });
    await user.click(submit);
    await waitFor(() => expect(field('To (UTC)').getAttribute('aria-invalid')).toBe('true'));
    expect(errorOf(field('To (UTC)'))).toBe('must be after from');

    // 2. A range without stored bars: BACKTEST_NO_DATA, on From, saying what is stored.
    fireEvent.change(field('From (UTC)'), { target: { value: '2020-01-01T00:00' } });
    fireEvent.change(field('To (UTC)'), { target: { value: '2020-02-01T00:00' } });
    await user.click(submit);
    await waitFor(() => expect(errorOf(field('From (UTC)'))).toBe('the stored bars run from 2021-06-01T00:00:00.000Z to 2021-06-03T01:59:00.000Z'));
    expect(field('To (UTC)').getAttribute('aria-invalid')).toBe('false');
    expect(screen.getAllByRole('alert').map((a) => a.textContent)).toContainEqual(expect.stringMatching(/^No WFORM\/USDT 1m bars between 2020-01-01/));

    // 3. Parameters the strategy refuses: STRATEGY_PARAMS_INVALID, on the parameter.
    await user.click(screen.getByRole('button', { name: 'Whole stored range' }));
    await user.clear(field('Fast SMA period'));
    await user.type(field('Fast SMA period'), '30');
    await user.clear(field('Slow SMA period'));
    await user.type(field('Slow SMA period'), '20');
    await user.click(submit);
    await waitFor(() => expect(errorOf(field('Fast SMA period'))).toBe('fast (30) must be less than slow (20)'));
    expect(field('From (UTC)').getAttribute('aria-invalid')).toBe('false');

    // 4. A cash amount that is not one.
    await user.clear(field('Fast SMA period'));
    await user.type(field('Fast SMA period'), '5');
    await user.type(field('Cash'), '-5');
    await user.click(submit);
    await waitFor(() => expect(errorOf(field('Cash'))).toBe('must be greater than zero'));
    expect(field('Fast SMA period').getAttribute('aria-invalid')).toBe('false');

    expect(await backtestCount()).toBe(before);
  });

  it('queues the backtest as entered and hands the run over', async () => {
    const user = userEvent.setup();
    const onSubmitted = vi.fn();
    render(onSubmitted);
    await onlySymbol(user, 'WFORM/USDT');
    await user.clear(field('Fast SMA period'));
    await user.type(field('Fast SMA period'), '5');
    await user.clear(field('Slow SMA period'));
    await user.type(field('Slow SMA period'), '20');
    await user.type(field('Order size'), '1');
    await user.type(field('Cash'), '1000');
    await user.type(field('Fee rate'), '0.001');
    await user.selectOptions(field('Fill model'), 'close');
    fireEvent.change(field('From (UTC)'), { target: { value: '2021-06-01T06:00' } });
    await user.type(field('Name'), 'form test');
    await user.click(screen.getByTestId('backtest-submit'));

    await waitFor(() => expect(onSubmitted).toHaveBeenCalledTimes(1));
    const run = onSubmitted.mock.calls[0]![0] as BacktestSummary;
    expect(run).toMatchObject({ kind: 'backtest', name: 'form test', strategy: 'sma-cross', symbols: ['WFORM/USDT'], timeframe: '1m', from: Date.UTC(2021, 5, 1, 6), to: null, createdBy: 'trader' });
    expect(['queued', 'running', 'completed']).toContain(run.status);
    const stored = await trader.api.backtests.get(run.id);
    expect(stored.params).toEqual({ fast: 5, slow: 20, size: 1 });
    expect(stored.settings).toMatchObject({ cash: '1000', feeRate: '0.001', fill: 'close', slippageBps: 0 });
  });

  it('backtests a bot’s configuration on a timeframe stored for its symbol, its capital as cash', async () => {
    const user = userEvent.setup();
    const onSubmitted = vi.fn();
    render(onSubmitted);
    await user.click(screen.getByRole('radio', { name: 'A bot’s configuration' }));
    expect(field('Bot').value).toBe(bot.id);
    // The bot trades 1s bars; only 1m bars of BTC/USDT are stored: that is what is offered.
    expect([...field('Timeframe').querySelectorAll('option')].map((o) => o.value)).toEqual(['1m']);
    expect(screen.queryByLabelText('Fast SMA period')).toBeNull();
    await user.click(screen.getByTestId('backtest-submit'));

    await waitFor(() => expect(onSubmitted).toHaveBeenCalledTimes(1));
    const stored = await trader.api.backtests.get((onSubmitted.mock.calls[0]![0] as BacktestSummary).id);
    expect(stored).toMatchObject({ profileId: bot.id, strategy: 'sma-cross', params: { fast: 4, slow: 12, size: 0.01 }, symbols: ['BTC/USDT'], timeframe: '1m' });
    expect(stored.settings.cash).toBe('2500');
  });
});
