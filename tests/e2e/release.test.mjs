// A release replaces the one on a resident's phone: the service worker of release A has the
// shell cached, release B is deployed (another qn.js, so other hashed names and another worker),
// and the next visit works and runs B — online, and offline from B's cache, with A's cache gone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchBrowser, root, startServer } from './harness.mjs';

/** The release's version and shell script as infra/site-assets.sh wrote them into sw.js. */
function release(site) {
  const first = readFileSync(join(site, 'sw.js'), 'utf8').split('\n')[0];
  const [, version, qn] = first.match(/version: '([0-9a-f]{16})', qn: '(\/pkg\/qn-[0-9a-f]{16}\.js)'/) ?? [];
  assert.ok(version && qn, `sw.js names its release: ${first}`);
  return { cache: `qn-shell-${version}`, qn };
}

const cacheKeys = (page) => page.evaluate(() => caches.keys());
const scriptSrc = (page) => page.evaluate(() => [...document.scripts].map((s) => new URL(s.src, location.href).pathname));

test('release B replaces release A in the service worker, and the page runs B', async () => {
  const work = mkdtempSync(join(tmpdir(), 'qn-release-'));
  const siteA = join(work, 'a');
  const siteB = join(work, 'b');
  cpSync(join(root, 'target/site'), siteA, { recursive: true });
  const a = release(siteA);
  let server = await startServer({ dir: work, site: siteA });
  const browser = await launchBrowser();
  try {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'de-DE' });
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${server.base}/`);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    assert.deepEqual(await cacheKeys(page), [a.cache]);
    // A page visited with A, by clicking as a resident does: kept for offline use.
    await Promise.all([page.waitForURL(/\/kommune\/koeln$/), page.locator('a[href="/kommune/koeln"]').first().click()]);
    assert.ok((await scriptSrc(page)).includes(a.qn));

    // Release B: another qn.js, so other names, another worker; the same address and data.
    await server.stop();
    cpSync(siteA, siteB, { recursive: true });
    appendFileSync(join(siteB, 'qn.js'), "\ndocument.documentElement.setAttribute('data-release', 'B');\n");
    execFileSync(join(root, 'infra/site-assets.sh'), [siteB]);
    const b = release(siteB);
    assert.notEqual(b.qn, a.qn);
    server = await startServer({ port: server.port, dir: work, site: siteB });

    // The next visit gets B's page (network first), B's script (a new name, not in A's cache),
    // and B's worker, which takes over and drops A's cache.
    await page.goto(`${server.base}/`);
    await page.waitForSelector('html[data-release="B"]');
    assert.ok((await scriptSrc(page)).includes(b.qn));
    await page.waitForFunction((want) => caches.keys().then((k) => k.length === 1 && k[0] === want), b.cache, { timeout: 30_000 });
    const worker = await page.evaluate(() => navigator.serviceWorker.ready.then((r) => r.active.scriptURL));
    assert.match(worker, /\/sw\.js$/);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    // Clicking on works with B.
    await Promise.all([page.waitForURL(/\/kommune\/koeln$/), page.locator('a[href="/kommune/koeln"]').first().click()]);
    await page.waitForSelector('html[data-release="B"]');

    // Offline, the visited page comes from B's cache and still runs B's script.
    await context.setOffline(true);
    await page.goto(`${server.base}/kommune/koeln`);
    await page.waitForSelector('html[data-release="B"]');
    assert.ok((await scriptSrc(page)).includes(b.qn));
    await context.setOffline(false);
    assert.deepEqual(errors, []);
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
  }
});
