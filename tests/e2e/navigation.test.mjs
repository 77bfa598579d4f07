// Client-side navigation as people do it: arrive on the start page, wait for the app to
// hydrate, and click from page to page (the router fetches each page's data through a server
// function instead of loading the page). Each step must show the page, never the error page,
// with no failed server call and no console error. On a 360-px phone viewport.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage } from './harness.mjs';

const env = useServerAndBrowser(before, after);

async function phone() {
  const v = await openPage(env.browser, { viewport: { width: 360, height: 740 } });
  const failed = [];
  v.page.on('response', (r) => { if (r.status() >= 400 && new URL(r.url()).pathname.startsWith('/api/')) failed.push(`${r.status()} ${r.url()}`); });
  return { ...v, failed };
}

/** Clicks the link and waits until the router has shown the page it leads to. */
async function follow(page, link, path) {
  await Promise.all([page.waitForURL((u) => u.pathname.startsWith(path)), link.click()]);
  await page.waitForLoadState('networkidle');
  const main = await page.textContent('main');
  assert.doesNotMatch(main, /Etwas ist schiefgegangen/, `${page.url()} after a click`);
  return main;
}

test('the most-used links work after client-side navigation', async () => {
  const { page, errors, failed, context } = await phone();
  await page.goto(`${env.base}/`);
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 60_000 });
  await follow(page, page.locator('a[href="/kommune/koeln"]').first(), '/kommune/koeln');
  // A Quartier, then its board and the directory search of the area.
  await follow(page, page.locator('a[href^="/quartier/"]').first(), '/quartier/');
  const quartier = page.url();
  const board = page.locator('a[href^="/pinnwand/"]').first();
  if (await board.count()) {
    const main = await follow(page, board, '/pinnwand/');
    assert.ok(main.length > 100, 'the board shows');
    await page.goto(quartier);
    await page.waitForSelector('html[data-hydrated="true"]', { timeout: 60_000 });
  }
  await follow(page, page.getByRole('link', { name: 'Alle Angebote in diesem Gebiet suchen' }), '/kommune/koeln/angebote');
  // The indicator catalogue, an indicator's map and a need-index map.
  await page.goto(`${env.base}/kommune/koeln/indikatoren`);
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 60_000 });
  await follow(page, page.locator('a[href^="/indikator/"]').first(), '/indikator/');
  await page.goBack();
  await page.waitForLoadState('networkidle');
  await follow(page, page.locator('a[href^="/sozialindex/"]').first(), '/sozialindex/');
  assert.deepEqual(failed, []);
  assert.deepEqual(errors, []);
  await context.close();
});
