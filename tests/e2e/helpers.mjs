// Shared pieces of the browser tests: one real server and one chromium per test file, a fresh
// browser context (own cookies) per test, login through the form, a screenshot per test.
import { mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { startServer, DEMO_PASSWORD, ADMIN_PASSWORD } from '../lib/server.mjs';

export { DEMO_PASSWORD, ADMIN_PASSWORD };
export const OUT = join(dirname(fileURLToPath(import.meta.url)), 'out');
mkdirSync(OUT, { recursive: true });

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// Starts the server and the browser; returns { url, browser, newPage(), stop() }.
export async function setup() {
  const server = await startServer();
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const contexts = [];
  return {
    url: server.url,
    server,
    browser,
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
      contexts.push(context);
      const page = await context.newPage();
      page.setDefaultTimeout(10000);
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(e));
      return page;
    },
    async stop() {
      for (const c of contexts) await c.close().catch(() => {});
      await browser.close().catch(() => {});
      await server.stop();
    },
  };
}

export function passwordFor(username) {
  return username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD;
}

// Fills the login form and submits it (does not wait for the result).
export async function submitLogin(page, url, username, password) {
  await page.goto(`${url}/login`);
  await page.locator('[data-testid="login-username"]').fill(username);
  await page.locator('[data-testid="login-password"]').fill(password);
  await page.locator('[data-testid="login-submit"]').click();
}

// Logs in through the form and waits for the app frame.
export async function login(page, url, username, password = passwordFor(username)) {
  await submitLogin(page, url, username, password);
  await page.locator('[data-testid="header-user"]').waitFor();
}

export async function shot(page, name) {
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage: false });
}

// Path of the current page URL.
export function pathOf(page) {
  return new URL(page.url()).pathname;
}
