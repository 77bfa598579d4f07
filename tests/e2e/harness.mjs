// Shared by the browser tests: a server on a fresh SQLite database with the demo data, and
// Debian's Chromium started the way this machine's closed network needs.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium } from 'playwright-core';

export const root = resolve(import.meta.dirname, '../..');

async function waitFor(url, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try { if ((await fetch(url)).ok) return; } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server did not answer ${url}`);
}

export async function startServer() {
  const port = 18000 + Math.floor(Math.random() * 2000);
  const base = `http://127.0.0.1:${port}`;
  const dir = mkdtempSync(join(tmpdir(), 'qn-e2e-'));
  const child = spawn(process.env.QN_BIN || join(root, 'target/debug/quartiersnetz'), ['serve'], {
    cwd: root,
    env: { ...process.env, QN_ADDR: `127.0.0.1:${port}`, QN_PUBLIC_URL: base,
      QN_DATABASE_URL: `sqlite://${dir}/qn.sqlite?mode=rwc`, QN_SITE_ROOT: join(root, 'target/site') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await waitFor(`${base}/healthz`, 120_000);
  return { base, stop: () => child.kill('SIGINT') };
}

export function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Registers the hooks that start a server and Chromium for one test file; the returned object
 * gets `base`, `browser` and `server` once `before` has run.
 */
export function useServerAndBrowser(before, after) {
  const env = {};
  before(async () => {
    env.server = await startServer();
    env.base = env.server.base;
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    env.server?.stop();
  });
  return env;
}

/**
 * A fresh browser context and page that records JavaScript errors and server errors (HTTP 5xx)
 * in `errors`. Desktop-sized unless `options` say otherwise.
 */
export async function openPage(browser, options = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'de-DE', ...options });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  page.on('response', (r) => { if (r.status() >= 500) errors.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`); });
  return { page, errors, context };
}

/** Signs in with a demo account through the login form. */
export async function signIn(page, base, email, password = 'quartiersnetz-demo') {
  await page.goto(`${base}/anmelden`);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(password);
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole('button', { name: 'Anmelden' }).click()]);
}
