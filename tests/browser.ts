/**
 * The real browser of the console tests: Debian's chromium driven by playwright-core (no browser
 * download), and signing in as a person does — the sign-in form, a token, the redirect.
 */
import fs from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.RECTIFY_CHROMIUM ?? '/usr/bin/chromium';

/** No skip: a missing browser is a failed run, with the way to fix it. */
export function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (npm test installs it as root), or set RECTIFY_CHROMIUM`);
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/**
 * A new browser context signed in with `token` from the page at `base + at` (the sign-in page, or
 * a page that sends an unsigned visitor there). Confirmations (销号, 提交销号申请, …) are accepted.
 */
export async function signIn(browser: Browser, base: string, token: string, opts: { at?: string; viewport?: { width: number; height: number } } = {}): Promise<{ ctx: BrowserContext; page: Page }> {
  const ctx = await browser.newContext({ viewport: opts.viewport ?? { width: 1280, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  const page = await ctx.newPage();
  page.on('dialog', (d) => void d.accept().catch(() => undefined));
  await page.goto(`${base}${opts.at ?? '/login'}`);
  await page.fill('input[name=token]', token);
  await page.click('button[type=submit]');
  // Signed in once the browser has left the sign-in page (networkidle can come before the redirect).
  await page.waitForURL((u) => u.pathname !== '/login');
  await page.waitForLoadState('networkidle');
  return { ctx, page };
}
