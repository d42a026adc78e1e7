import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { findChromium, launchChromium, Screenshots, signIn, within, type DemoUser } from './support/browser.ts';
import { repoRoot, startKestrel, type Kestrel } from './support/stack.ts';

/**
 * The dashboard in a real browser against the real product: what a trader, an admin and a viewer
 * see and do on the demo tenant of a fresh `npm start`. The scenarios run in order on one stack
 * and share the signed-in windows, as one person clicking through would (the trader's bot page
 * stays open while the admin flips the kill switch). Each page visited is saved as a full-page
 * screenshot in artifacts/e2e/ (git-ignored), with the services' logs; a failing scenario adds
 * FAILED-<scenario>-<user>.png of every open window.
 */

const chromiumPath = findChromium();
const MISSING = 'Chromium not found: apt-get install -y chromium to run the browser tests';
// CI (.ci/run) sets KESTREL_E2E=required: there a missing browser fails instead of skipping.
const required = process.env.KESTREL_E2E === 'required';
const artifacts = join(repoRoot, 'artifacts', 'e2e');
const TICKER = 'BTC/USDT';
const DEMO_BOT = 'Demo BTC bot';
const BACKTEST_NAME = 'e2e: ten BTC markets, 5m';

if (!chromiumPath && required) {
  it('finds Debian Chromium (KESTREL_E2E=required)', () => {
    throw new Error(`${MISSING}. CI must run the browser tests (.ci/run installs it).`);
  });
} else if (!chromiumPath) {
  console.warn(`[e2e] browser tests skipped: ${MISSING}`);
}

describe.skipIf(!chromiumPath)('the dashboard in Chromium', () => {
  let kestrel: Kestrel;
  let browser: Browser;
  let shots: Screenshots;
  const sessions = new Map<DemoUser, { context: BrowserContext; page: Page }>();
  const started = Date.now();

  beforeAll(async () => {
    rmSync(artifacts, { recursive: true, force: true });
    shots = new Screenshots(artifacts);
    kestrel = await startKestrel({ inheritedEnv: process.env, logDir: artifacts });
    browser = await launchChromium(chromiumPath!);
  });

  afterAll(async () => {
    await browser?.close();
    await kestrel?.close();
    console.log(`[e2e] ${shots?.taken.length ?? 0} screenshots in artifacts/e2e/: ${shots?.taken.join(', ')}; the suite took ${((Date.now() - started) / 1000).toFixed(1)}s`);
  });

  /** The demo user's window, signed in on first use. */
  async function session(user: DemoUser): Promise<Page> {
    if (!sessions.has(user)) sessions.set(user, await signIn(browser, kestrel.url, user, shots));
    return sessions.get(user)!.page;
  }

  /** On failure: a screenshot of every open window, named after the scenario and the user. */
  function screenshotOnFailure(ctx: TestContext, scenario: string) {
    ctx.onTestFailed(async () => {
      for (const [user, { page }] of sessions) await shots.take(page, `FAILED-${scenario}-${user}`).catch(() => {});
    });
  }

  /** To the demo bot's page through the overview's list of bots, unless already there. */
  async function openDemoBot(page: Page): Promise<void> {
    if (!/\/bots\//.test(page.url())) {
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
      await page.getByTestId('bots').getByRole('link', { name: DEMO_BOT }).click();
    }
    await within(`the ${DEMO_BOT} page with its chart`, 30_000, (timeout) => page.getByTestId('bot-chart').getByTestId('candle-chart').waitFor({ timeout }));
  }

  it('the demo trader signs in and the overview price moves on its own', async (ctx) => {
    screenshotOnFailure(ctx, 'overview');
    const page = await session('trader');
    const price = page.getByTestId(`ticker-${TICKER}`).getByTestId('last-price');
    await within(`a ${TICKER} last price on the overview`, 30_000, (timeout) => price.filter({ hasText: /\d/ }).waitFor({ timeout }));
    const first = (await price.textContent())!;
    await within(`the ${TICKER} price to change on its own from ${first} (the paper market ticks several times a second)`, 30_000, (timeout) =>
      page.waitForFunction(
        ([sel, before]) => {
          const now = document.querySelector(sel)?.textContent;
          return now !== before && /\d/.test(now ?? '');
        },
        [`[data-testid="ticker-${TICKER}"] [data-testid="last-price"]`, first] as const,
        { timeout },
      ),
    );
    expect(await price.textContent()).not.toBe(first);
    await within(`${DEMO_BOT} listed as running`, 15_000, (timeout) => page.getByTestId('bots').locator('[data-testid="bot-status"][data-status="running"]').waitFor({ timeout }));
    await shots.take(page, 'overview');
  });

  it('the demo bot page shows a new fill on the chart and in its orders without reloading', async (ctx) => {
    screenshotOnFailure(ctx, 'bot');
    const page = await session('trader');
    await openDemoBot(page);
    const markers = () => page.getByTestId('bot-chart').getByTestId('candle-chart').getAttribute('data-markers').then(Number);
    const filledOrders = () =>
      page.evaluate(() =>
        [...document.querySelectorAll('[data-testid="bot-orders"] [data-testid="order-row"]')]
          .filter((row) => /filled/.test(row.getAttribute('data-status') ?? ''))
          .map((row) => row.querySelector('a')?.getAttribute('href') ?? ''),
      );
    const markersBefore = await markers();
    const filledBefore = await filledOrders();
    // Survives only as long as the page is not reloaded.
    await page.evaluate(() => Object.assign(window, { e2eSamePage: true }));

    await within(`a new fill marker on the chart (it had ${markersBefore}; the demo bot trades about every 15–30 s)`, 120_000, (timeout) =>
      page.waitForFunction((before) => Number(document.querySelector('[data-testid="bot-chart"] [data-testid="candle-chart"]')?.getAttribute('data-markers')) > before, markersBefore, { timeout }),
    );
    await within('the new fill in the bot’s orders list (a filled order not listed before)', 30_000, (timeout) =>
      page.waitForFunction(
        (known) =>
          [...document.querySelectorAll('[data-testid="bot-orders"] [data-testid="order-row"]')].some(
            (row) => /filled/.test(row.getAttribute('data-status') ?? '') && !known.includes(row.querySelector('a')?.getAttribute('href') ?? ''),
          ),
        filledBefore,
        { timeout },
      ),
    );
    expect(await markers()).toBeGreaterThan(markersBefore);
    expect(await page.evaluate(() => 'e2eSamePage' in window), 'the page was reloaded: fills must arrive live').toBe(true);
    await shots.take(page, 'bot');
  });

  it('pausing the demo bot changes its state, and starting it runs it again', async (ctx) => {
    screenshotOnFailure(ctx, 'bot-paused');
    const page = await session('trader');
    await openDemoBot(page);
    const controls = page.getByRole('group', { name: 'Bot controls' });
    const status = (s: string) => page.locator(`[data-testid="bot-status"][data-status="${s}"]`);

    await controls.getByRole('button', { name: 'Pause' }).click();
    await within(`${DEMO_BOT} to show paused after Pause`, 15_000, (timeout) => status('paused').waitFor({ timeout }));
    await within('the reason "paused by a user" next to it', 5_000, (timeout) => page.getByText('paused by a user').first().waitFor({ timeout }));
    expect(await controls.getByRole('button', { name: 'Pause' }).count(), 'Pause is offered only while running').toBe(0);
    await shots.take(page, 'bot-paused');

    // Running again, so the kill switch below has a trading bot to halt.
    await controls.getByRole('button', { name: 'Start' }).click();
    await within(`${DEMO_BOT} to show running after Start`, 15_000, (timeout) => status('running').waitFor({ timeout }));
    await within('Pause to be offered again', 5_000, (timeout) => controls.getByRole('button', { name: 'Pause' }).waitFor({ timeout }));
  });

  it('the admin flips the tenant kill switch: every bot shows halted, the audit log has the entry, then trading resumes', async (ctx) => {
    screenshotOnFailure(ctx, 'kill-switch');
    const trader = await session('trader');
    await openDemoBot(trader);
    const page = await session('admin');
    const tenantSwitch = page.getByTestId('switch-tenant');
    const reason = `e2e drill ${new Date().toISOString()}`;

    await tenantSwitch.getByRole('button', { name: 'Halt trading' }).click();
    const confirm = page.getByRole('dialog', { name: 'Halt trading for this tenant?' });
    await within('the kill-switch confirmation asking for a reason', 10_000, (timeout) => confirm.waitFor({ timeout }));
    expect(await confirm.getByRole('button', { name: 'Halt trading' }).isDisabled(), 'halting needs a reason first').toBe(true);
    await confirm.getByLabel('Reason (kept in the audit log)').fill(reason);
    await confirm.getByRole('button', { name: 'Halt trading' }).click();
    await within('the tenant switch to show Halted with the reason', 15_000, (timeout) => tenantSwitch.getByText('Halted', { exact: true }).waitFor({ timeout }));
    await within('the reason under the switch', 5_000, (timeout) => tenantSwitch.getByText(reason).waitFor({ timeout }));
    await within('every bot on the overview to show halted', 20_000, (timeout) =>
      page.waitForFunction(
        () => {
          const states = [...document.querySelectorAll('[data-testid="bots"] [data-testid="bot-status"]')].map((s) => s.getAttribute('data-status'));
          return states.length > 0 && states.every((s) => s === 'halted');
        },
        undefined,
        { timeout },
      ),
    );
    await shots.take(page, 'admin-overview-halted');
    // The trader's open bot page hears of it live.
    await within(`the trader’s open ${DEMO_BOT} page to show halted without reloading`, 20_000, (timeout) => trader.locator('[data-testid="bot-status"][data-status="halted"]').waitFor({ timeout }));
    await shots.take(trader, 'bot-halted');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Audit log' }).click();
    await within('the audit log entry of the tenant kill switch (action trading.control.tenant, with the reason)', 20_000, (timeout) =>
      page.locator('[data-testid="audit-row"][data-action="trading.control.tenant"]').filter({ hasText: reason }).waitFor({ timeout }),
    );
    expect(await page.locator('[data-testid="audit-row"][data-action="trading.control.tenant"]').first().textContent()).toContain('admin');
    await shots.take(page, 'admin-audit-log');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await tenantSwitch.getByRole('button', { name: 'Resume trading' }).click();
    const resume = page.getByRole('dialog', { name: 'Resume trading for this tenant?' });
    await within('the confirmation before resuming', 10_000, (timeout) => resume.waitFor({ timeout }));
    await resume.getByRole('button', { name: 'Resume trading' }).click();
    await within('the tenant switch to show Trading on again', 15_000, (timeout) => tenantSwitch.getByText('Trading on', { exact: true }).waitFor({ timeout }));
  });

  it('a backtest run from the Backtests page moves its progress bar, then its results list the trades', async (ctx) => {
    screenshotOnFailure(ctx, 'backtest');
    const page = await session('trader');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backtests' }).click();
    const form = page.getByTestId('backtest-form');
    await within('the backtest form (strategies and stored candles loaded)', 30_000, (timeout) => form.waitFor({ timeout }));
    await shots.take(page, 'backtests');

    // The ten BTC-quoted markets stored at 5m (about 57,000 bars) with averages of 2 and 3 bars:
    // over 10,000 trades and a run of a few seconds, so the bar gets several progress pushes (at
    // most one per 250 ms) even on a fast machine. (One symbol finishes in about a second.)
    await form.getByLabel('Strategy', { exact: true }).selectOption({ label: 'SMA crossover' });
    await form.getByLabel('Timeframe', { exact: true }).selectOption('5m');
    for (const symbol of await form.getByRole('checkbox').all()) await symbol.setChecked((await symbol.getAttribute('value'))!.endsWith('/BTC'));
    expect(await form.getByRole('checkbox', { checked: true }).count(), 'BTC-quoted markets stored at 5m').toBe(10);
    await form.getByLabel('Fast SMA period', { exact: true }).fill('2');
    await form.getByLabel('Slow SMA period', { exact: true }).fill('3');
    await form.getByLabel('Stake', { exact: true }).fill('0.001');
    await form.getByLabel('Name', { exact: true }).fill(BACKTEST_NAME);

    // Every value the run page's progress bar shows, in order: what a user watching it sees.
    await page.evaluate(() => {
      const shown: number[] = [];
      new MutationObserver(() => {
        if (!/^\/backtests\/[0-9a-f-]{36}$/.test(location.pathname)) return;
        const now = document.querySelector('[data-testid="backtest-progress"]')?.getAttribute('aria-valuenow');
        if (now != null && Number(now) !== shown[shown.length - 1]) shown.push(Number(now));
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
      Object.assign(window, { e2eProgressShown: shown });
    });
    await page.getByTestId('backtest-submit').click();
    await within('the new backtest’s own page after Run backtest', 15_000, (timeout) => page.waitForURL(/\/backtests\/[0-9a-f-]{36}$/, { timeout }));
    const status = page.getByTestId('backtest-status');
    await within('the backtest to finish', 120_000, (timeout) => page.locator('[data-testid="backtest-status"]:is([data-status="completed"], [data-status="failed"], [data-status="cancelled"])').waitFor({ timeout }));
    expect(await status.getAttribute('data-status'), `the run did not complete: ${await page.getByRole('alert').allTextContents()}`).toBe('completed');

    const shown = await page.evaluate(() => (window as unknown as { e2eProgressShown: number[] }).e2eProgressShown);
    const sequence = `progress shown: ${shown.join(' → ')} %`;
    expect(shown.some((p) => p > 0 && p < 100), `the bar never showed a value between 0 and 100 (${sequence})`).toBe(true);
    expect(shown.at(-1), sequence).toBe(100);
    expect([...shown].sort((a, b) => a - b), `the bar went backwards (${sequence})`).toEqual(shown);

    await within('the trades in the results', 30_000, (timeout) => page.getByTestId('backtest-trade-row').first().waitFor({ timeout }));
    expect(await page.getByTestId('backtest-trade-row').count()).toBeGreaterThan(0);
    await shots.take(page, 'backtest-results');
  });

  it('a viewer sees the bots and the kill switch but no control buttons', async (ctx) => {
    screenshotOnFailure(ctx, 'viewer');
    const page = await session('viewer');
    // Loaded first, so "no buttons" is about a page that shows its content, not one still loading.
    const tenantSwitch = page.getByTestId('switch-tenant');
    await within('the kill switch state on the viewer’s overview', 15_000, (timeout) => tenantSwitch.getByText('Trading on', { exact: true }).or(tenantSwitch.getByText('Halted', { exact: true })).waitFor({ timeout }));
    await within(`${DEMO_BOT} on the viewer’s overview`, 15_000, (timeout) => page.getByTestId('bots').getByRole('link', { name: DEMO_BOT }).waitFor({ timeout }));
    expect(await page.getByTestId('kill-switch').getByRole('button').count(), 'kill-switch buttons for a viewer').toBe(0);
    expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).count(), 'the Admin page for a viewer').toBe(0);
    await shots.take(page, 'viewer-overview');

    await openDemoBot(page);
    await within('the bot configuration (read-only for a viewer)', 15_000, (timeout) => page.getByRole('form', { name: 'Bot configuration' }).waitFor({ timeout }));
    await within(`${DEMO_BOT}'s state`, 5_000, (timeout) => page.getByTestId('bot-status').first().waitFor({ timeout }));
    expect(await page.getByRole('group', { name: 'Bot controls' }).count(), 'bot controls for a viewer').toBe(0);
    for (const name of ['Start', 'Pause', 'Stop', 'Save configuration']) {
      expect(await page.getByRole('button', { name, exact: true }).count(), `a "${name}" button for a viewer`).toBe(0);
    }
    await shots.take(page, 'viewer-bot');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Backtests' }).click();
    const list = page.getByTestId('backtests-list');
    await within('the list of backtests on the viewer’s Backtests page', 15_000, (timeout) => list.getByTestId('backtest-row').first().or(list.getByText('No backtests yet.')).waitFor({ timeout }));
    expect(await page.getByTestId('backtest-form').count(), 'the backtest form for a viewer').toBe(0);
    expect(await page.getByTestId('backtest-submit').count(), 'a backtest submit button for a viewer').toBe(0);
    await shots.take(page, 'viewer-backtests');
  });
});
