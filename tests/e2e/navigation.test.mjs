// Client-side navigation as people do it: arrive on the start page, wait for the app to
// hydrate, and click from page to page (the router fetches each page's data through a server
// function instead of loading the page). Each step must show the page, never the error page,
// with no failed server call and no console error. On a 360-px phone viewport.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage } from './harness.mjs';

const env = useServerAndBrowser(before, after);

async function phone(options = {}) {
  const v = await openPage(env.browser, { viewport: { width: 360, height: 740 }, ...options });
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
  // The bundle that hydrated has a hashed name, comes precompressed and may be kept a year.
  const bundle = await page.locator('link[rel="modulepreload"]').getAttribute('href');
  assert.match(bundle, /^\/pkg\/quartiersnetz-[0-9a-f]{16}\.js$/);
  const r = await context.request.get(`${env.base}${bundle.replace('.js', '_bg.wasm')}`, { headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(r.headers()['content-encoding'], 'br');
  assert.equal(r.headers()['cache-control'], 'public, max-age=31536000, immutable');
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
  await follow(page, page.locator('a[href*="/angebote?gebiet="]'), '/kommune/koeln/angebote');
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

test('a resident finds the directory, her Quartier by location and offers near her', async () => {
  // The phone is in Köln's Altstadt/Nord (Dom); the site may ask for the position.
  const { page, errors, failed, context } = await phone({
    geolocation: { latitude: 50.9413, longitude: 6.9583 }, permissions: ['geolocation'],
  });
  await page.goto(`${env.base}/`);
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 60_000 });
  // The header leads to the directory; the Kommune is chosen there.
  await follow(page, page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Angebote' }), '/angebote');
  await follow(page, page.getByRole('link', { name: 'Stadt Köln (Demo)' }), '/kommune/koeln/angebote');
  // On a phone the filters stay closed, so the first result is on the first screen.
  assert.equal(await page.locator('details.filters').evaluate((d) => d.open), false);
  const first = await page.locator('.results li').first().boundingBox();
  assert.ok(first && first.y < 740, `first result at ${first?.y}px`);

  // The Kommune page links to the directory and finds the Quartier from the position.
  await follow(page, page.getByRole('navigation', { name: 'Hauptnavigation' }).getByRole('link', { name: 'Kommunen' }), '/');
  await follow(page, page.locator('a[href="/kommune/koeln"]').first(), '/kommune/koeln');
  assert.equal(await page.locator('a.button-link[href="/kommune/koeln/angebote"]').count(), 1);
  await Promise.all([
    page.waitForURL(/\/quartier\/\d+$/),
    page.getByRole('button', { name: 'Mein Quartier finden (über meinen Standort)' }).click(),
  ]);
  await page.waitForLoadState('networkidle');
  assert.equal(await page.textContent('h1'), 'Altstadt/Nord');
  const main = await page.textContent('main');
  assert.doesNotMatch(main, /Hier erscheinen bald/);
  // Offers name their place only when it differs from the title, and the long list is a link.
  const offers = await page.locator('.offer-links li').allTextContents();
  assert.ok(offers.length > 0 && offers.length <= 8, `${offers.length} offers listed`);
  for (const o of offers) assert.doesNotMatch(o, /^(.+) – \1(\s|\(|$)/, `title repeated: ${o}`);

  // "beliebig" around a position finds offers (it found none before).
  await follow(page, page.locator('a[href*="/angebote?gebiet="]'), '/kommune/koeln/angebote');
  await page.goto(`${env.base}/kommune/koeln/angebote`);
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 60_000 });
  await page.locator('details.filters > summary').click();
  await page.getByLabel('Breite', { exact: true }).fill('50.94130');
  await page.getByLabel('Länge', { exact: true }).fill('6.95830');
  await page.getByLabel('Umkreis').selectOption({ label: 'beliebig' });
  await Promise.all([page.waitForURL(/umkreis=0/), page.getByRole('button', { name: 'Anzeigen' }).click()]);
  await page.waitForLoadState('networkidle');
  const heading = await page.textContent('#ergebnisse');
  assert.ok(Number(heading.match(/(\d+)/)[1]) > 0, heading);
  assert.equal(await page.locator('details.filters').evaluate((d) => d.open), true, 'open while a filter is set');
  assert.deepEqual(failed, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('maps on a phone: page scrolls past them, German controls, a legend, no Tab stop per area', async () => {
  const { page, errors, context } = await phone({
    hasTouch: true, isMobile: true,
    userAgent: 'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36',
  });
  await page.goto(`${env.base}/`);
  await page.waitForSelector('html[data-hydrated="true"]', { timeout: 60_000 });
  await follow(page, page.locator('a[href="/kommune/koeln"]').first(), '/kommune/koeln');
  await page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 60_000 });
  const map = page.locator('.qn-map').first();
  const box = await map.boundingBox();
  assert.ok(box.height <= 0.45 * 740 + 2, `map ${box.height}px high on a 740-px screen`);
  // One finger does not drag the map (Leaflet's touch dragging is off), two fingers do.
  assert.equal(await map.evaluate((m) => m.classList.contains('leaflet-touch-drag')), false);
  assert.equal(await map.getAttribute('data-touch'), 'Mit zwei Fingern verschieben Sie die Karte.');
  assert.equal(await page.locator('.leaflet-control-zoom-in').getAttribute('title'), 'Karte vergrößern');
  assert.equal(await page.locator('.leaflet-control-zoom-out').getAttribute('title'), 'Karte verkleinern');
  // From the map, a few Tabs reach the page after it: no area is a Tab stop.
  await map.focus();
  const stops = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press('Tab');
    stops.push(await page.evaluate(() => {
      const a = document.activeElement;
      return `${a.tagName.toLowerCase()}${a.closest('.qn-map') ? ' (in map)' : ''}`;
    }));
  }
  assert.ok(!stops.some((s) => s.startsWith('path')), `Tab stops: ${stops.join(', ')}`);
  assert.ok(!stops[stops.length - 1].includes('(in map)'), `still in the map after 4 Tabs: ${stops.join(', ')}`);
  // A Quartier's map explains its dots.
  await follow(page, page.locator('table a[href^="/quartier/"]').first(), '/quartier/');
  await page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 60_000 });
  if (Number(await page.locator('.qn-map').getAttribute('data-points-count')) > 0) {
    assert.match(await page.locator('.map-legend').textContent(), /Angebot|Beitrag/);
  }
  assert.deepEqual(errors, []);
  await context.close();
});
