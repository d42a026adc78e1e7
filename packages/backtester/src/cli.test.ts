/** The CLI as a user runs it (`npm run backtest -- …` runs scripts/backtest.mjs): a real process, real files. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const data = 'packages/market-data/data/candles/BTC_USDT-5m.csv';
const reference = ['--data', data, '--strategy', 'sma-cross', '--param', 'fast=10', '--param', 'slow=30', '--size', '1', '--fee', '0.001', '--cash', '100000'];
const cli = (args: string[]) => spawnSync(process.execPath, ['scripts/backtest.mjs', ...args], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' } });

describe('npm run backtest', () => {
  it('--json prints exactly one JSON object in the reference format', () => {
    const r = cli([...reference, '--json']);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual(['bars', 'trades', 'openPosition', 'finalValue', 'metrics']);
    expect(doc.bars).toBe(10_999);
    const trades = doc.trades as Array<Record<string, unknown>>;
    expect(trades.length).toBeGreaterThan(100);
    expect(Object.keys(trades[0]!)).toEqual(['entryTime', 'entryPrice', 'exitTime', 'exitPrice', 'size', 'pnlGross', 'commission', 'pnlNet']);
    expect(trades[0]!.entryTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    for (const t of trades.slice(0, 10)) {
      expect(t.pnlNet as number).toBeCloseTo((t.pnlGross as number) - (t.commission as number), 9);
      expect(t.commission as number).toBeCloseTo(0.001 * ((t.entryPrice as number) + (t.exitPrice as number)) * (t.size as number), 9);
    }
    expect(doc.openPosition === null || typeof (doc.openPosition as { size: number }).size === 'number').toBe(true);
    expect(Object.keys(doc.metrics as object)).toEqual(expect.arrayContaining(['totalReturn', 'cagr', 'sharpe', 'sortino', 'maxDrawdown', 'winRate', 'profitFactor', 'exposure', 'trades', 'feesPaid']));
  }, 60_000);

  it('without --json prints a readable summary with the equity curve', () => {
    const r = cli(reference);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Backtest sma-cross .* on BTC\/USDT/);
    expect(r.stdout).toMatch(/equity [▁▂▃▄▅▆▇█]{64}/);
    expect(r.stdout).toMatch(/total return\s+-?\d+\.\d\d %/);
    expect(r.stdout).toMatch(/trades\s+\d+/);
  }, 60_000);

  it('bad arguments and data give a message that says what to do, exit code 2', () => {
    const missing = cli(['--strategy', 'sma-cross']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/--data <candles.csv> is required/);
    expect(missing.stderr).toMatch(/Usage: npm run backtest/);
    const nofile = cli(['--data', 'nope.csv', '--strategy', 'sma-cross']);
    expect(nofile.status).toBe(2);
    expect(nofile.stderr).toMatch(/No such file: nope.csv/);
    const badParams = cli([...reference.slice(0, 4), '--param', 'fast=50']);
    expect(badParams.status).toBe(2);
    expect(badParams.stderr).toMatch(/STRATEGY_PARAMS_INVALID: .*fast/);
  }, 60_000);
});
