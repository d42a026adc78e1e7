import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium: the first `chromium` on PATH, else /usr/bin/chromium; undefined when there is
 * none (the suite then skips locally and fails in CI). Never a browser downloaded by Playwright.
 */
export function findChromium(): string | undefined {
  const onPath = spawnSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).stdout.trim();
  if (onPath) return onPath;
  return existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined;
}

/**
 * Headless Chromium with the flags it needs as root on a CI machine (no sandbox, no GPU) and none
 * of its background traffic. Playwright gives every launch a fresh, temporary user-data-dir, and
 * every sign-in below its own browser context (its own cookies: the refresh-token cookie).
 */
export function launchChromium(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const DEMO_PASSWORDS = {
  admin: 'kestrel-admin-demo',
  trader: 'kestrel-trader-demo',
  viewer: 'kestrel-viewer-demo',
} as const;
export type DemoUser = keyof typeof DEMO_PASSWORDS;

/** A laptop-sized window signed in as one demo user through the login page, on the overview. */
export async function signIn(browser: Browser, baseURL: string, user: DemoUser, shots: Screenshots): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL, viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await page.goto('/');
  const form = page.getByRole('form', { name: 'Sign in' });
  await within(`the login page to show (the app redirects / to /login when signed out) at ${baseURL}`, 30_000, (timeout) => form.waitFor({ timeout }));
  if (user === 'trader') await shots.take(page, 'login');
  await form.getByLabel('Username').fill(user);
  await form.getByLabel('Password').fill(DEMO_PASSWORDS[user]);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await within(`${user} to be signed in and see the overview`, 30_000, (timeout) => page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor({ timeout }));
  return { context, page };
}

/**
 * Runs one wait (a Playwright locator or function wait given `timeout`) and, when it times out,
 * throws what the user would have noticed instead of Playwright's selector dump.
 */
export async function within<T>(expectation: string, timeoutMs: number, wait: (timeout: number) => Promise<T>): Promise<T> {
  try {
    return await wait(timeoutMs);
  } catch (err) {
    const detail = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new Error(`Expected ${expectation} within ${timeoutMs / 1000}s, but it did not happen (${detail}). See the screenshots and service logs in artifacts/e2e/.`);
  }
}

/** Full-page screenshots written to one folder, named after the page; remembers what it wrote. */
export class Screenshots {
  readonly taken: string[] = [];
  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  /**
   * The whole page: the dashboard scrolls inside <main> (the top bar stays put), which Playwright's
   * fullPage does not see, so the window is made as tall as that content for the shot, then restored.
   */
  async take(page: Page, name: string): Promise<void> {
    const file = `${name}.png`;
    const size = page.viewportSize();
    const hidden = await page.evaluate(() => {
      const main = document.querySelector('main');
      return main ? main.scrollHeight - main.clientHeight : 0;
    });
    const taller = size && hidden > 0 ? { width: size.width, height: Math.min(size.height + hidden, 10_000) } : undefined;
    if (taller) await page.setViewportSize(taller);
    try {
      await page.screenshot({ path: join(this.dir, file), fullPage: true });
    } finally {
      if (taller && size) await page.setViewportSize(size);
    }
    if (!this.taken.includes(file)) this.taken.push(file);
  }
}
