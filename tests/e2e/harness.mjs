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
