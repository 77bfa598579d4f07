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

/**
 * Starts the SMTP peer (aiosmtpd, `mail_sink.py`); `mails` fills with each mail as the peer
 * parsed it, `waitForMail(to)` waits for the next one to an address.
 */
async function startMailSink() {
  const port = 20000 + Math.floor(Math.random() * 2000);
  const child = spawn('python3', [join(import.meta.dirname, 'mail_sink.py'), String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const mails = [];
  let ready;
  const up = new Promise((r) => { ready = r; });
  let buffer = '';
  child.stdout.on('data', (chunk) => {
    buffer += chunk;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = JSON.parse(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      if (line.ready) ready(); else mails.push(line);
    }
  });
  await Promise.race([up, new Promise((_, no) => setTimeout(() => no(new Error('mail sink did not start')), 20_000))]);
  const waitForMail = async (to, ms = 30_000) => {
    const seen = mails.length;
    const until = Date.now() + ms;
    while (Date.now() < until) {
      const m = mails.slice(seen).find((x) => x.to.includes(to));
      if (m) return m;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no mail to ${to}`);
  };
  return { url: `smtp://127.0.0.1:${port}`, mails, waitForMail, stop: () => child.kill() };
}

/**
 * Starts the server with the demo data on a fresh SQLite database; `port`, `dir` (of the
 * database) and `site` (the built static files) may be given to start it again on the same
 * ones. `stop()` resolves once the process has ended.
 */
export async function startServer({ port = 18000 + Math.floor(Math.random() * 2000), dir = mkdtempSync(join(tmpdir(), 'qn-e2e-')), site = join(root, 'target/site') } = {}) {
  const base = `http://127.0.0.1:${port}`;
  const sink = await startMailSink();
  const child = spawn(process.env.QN_BIN || join(root, 'target/debug/quartiersnetz'), ['serve'], {
    cwd: root,
    env: { ...process.env, QN_ADDR: `127.0.0.1:${port}`, QN_PUBLIC_URL: base,
      QN_DATABASE_URL: `sqlite://${dir}/qn.sqlite?mode=rwc`, QN_SITE_ROOT: site,
      QN_SMTP_URL: sink.url, QN_MAIL_FROM: 'Quartiersnetz <noreply@quartiersnetz.test>' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const ended = new Promise((r) => child.once('exit', r));
  await waitFor(`${base}/healthz`, 120_000);
  const stop = () => { child.kill('SIGINT'); sink.stop(); return ended; };
  return { base, port, dir, mails: sink.mails, waitForMail: sink.waitForMail, stop };
}

/**
 * Registers with the plain form and confirms with the link from the mail, as a person would:
 * the form answers that a mail is on its way, the link opens a page whose button creates the
 * account. Ends signed in on the start page.
 */
export async function registerAndConfirm(page, server, { name, email, password = 'ein langes Passwort', tenant }) {
  await page.goto(`${server.base}/registrieren`);
  await page.getByLabel('Anzeigename').fill(name);
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill(password);
  if (tenant) await page.getByLabel('Ihre Kommune (freiwillig)').selectOption(tenant);
  const mail = server.waitForMail(email);
  await Promise.all([page.waitForURL(/hinweis=bestaetigen/), page.getByRole('button', { name: 'Konto anlegen' }).click()]);
  await page.getByText('Wir haben Ihnen eine E-Mail geschickt').waitFor();
  const { subject, text } = await mail;
  if (subject !== 'Quartiersnetz: Bitte bestätigen Sie Ihre E-Mail-Adresse') throw new Error(`subject: ${subject}`);
  const link = text.match(/https?:\/\/\S+\/konto-bestaetigen\?token=\S+/)?.[0];
  if (!link) throw new Error(`no link in: ${text}`);
  await page.goto(link);
  await Promise.all([page.waitForURL(/hinweis=willkommen/), page.getByRole('button', { name: 'Konto jetzt anlegen' }).click()]);
  await page.getByText('Ihr Konto ist angelegt').waitFor();
  return { subject, text };
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
