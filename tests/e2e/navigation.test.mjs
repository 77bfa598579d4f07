// Navigation as people do it: arrive on the start page and click from page to page (each click
// loads the next page from the server; no page loads the app as wasm). Each step must show the
// page, never the error page, with no failed server call and no console error. On a 360-px
// phone viewport.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, signIn } from './harness.mjs';

const env = useServerAndBrowser(before, after);

async function phone(options = {}) {
  const v = await openPage(env.browser, { viewport: { width: 360, height: 740 }, ...options });
  const failed = [];
  v.page.on('response', (r) => { if (r.status() >= 400 && new URL(r.url()).pathname.startsWith('/api/')) failed.push(`${r.status()} ${r.url()}`); });
  return { ...v, failed };
}

/** Clicks the link and waits until the page it leads to is shown and its scripts have run. */
async function follow(page, link, path) {
  // Waits for a new address: '/' or a prefix of the current one would otherwise match at once,
  // before the click has navigated anywhere.
  const before = page.url();
  await Promise.all([page.waitForURL((u) => u.href !== before && u.pathname.startsWith(path)), link.click()]);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  // Server-rendered in full: nothing is left loading.
  assert.equal(await page.locator('main [aria-busy="true"]').count(), 0, `${page.url()} is complete`);
  const main = await page.textContent('main');
  assert.doesNotMatch(main, /Etwas ist schiefgegangen/, `${page.url()} after a click`);
  return main;
}

test('the most-used links work after client-side navigation', async () => {
  const { page, errors, failed, context } = await phone();
  await page.goto(`${env.base}/`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  // No page but a survey's question pages loads wasm; there, the survey checks' module has a
  // hashed name, comes precompressed and may be kept a year.
  assert.equal(await page.locator('script[type="module"], link[rel="modulepreload"]').count(), 0, 'no app bundle');
  await follow(page, page.locator('a[href="/kommune/koeln"]').first(), '/kommune/koeln');
  // A Quartier, then its board and the directory search of the area.
  await follow(page, page.locator('a[href^="/quartier/"]').first(), '/quartier/');
  const quartier = page.url();
  const board = page.locator('a[href^="/pinnwand/"]').first();
  if (await board.count()) {
    const main = await follow(page, board, '/pinnwand/');
    assert.ok(main.length > 100, 'the board shows');
    await page.goto(quartier);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  }
  await follow(page, page.locator('a[href*="/angebote?gebiet="]'), '/kommune/koeln/angebote');
  // The indicator catalogue, an indicator's map and a need-index map.
  await page.goto(`${env.base}/kommune/koeln/indikatoren`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
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
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
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
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
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
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
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

test('an administrator invites a colleague, who accepts without JavaScript; roles are revoked and access suspended', async () => {
  const { page, errors, failed, context } = await phone();
  await signIn(page, env.base, 'admin@koeln.demo');
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await follow(page, page.locator('a[href="/kommune/koeln"]').first(), '/kommune/koeln');
  const main = await follow(page, page.getByRole('link', { name: 'Benutzer und Rollen' }), '/kommune/koeln/verwaltung');
  assert.match(main, /Sozialplanung Köln/);
  assert.match(main, /Quartiersmanagement Kalk/);

  // An address without an account gets an invitation.
  await page.getByLabel('E-Mail-Adresse').fill('neue.planerin@koeln.example');
  await page.getByLabel('Rolle', { exact: true }).selectOption({ label: 'Sozialplanung' });
  const mail = env.server.waitForMail('neue.planerin@koeln.example');
  await Promise.all([page.waitForURL(/hinweis=eingeladen/), page.getByRole('button', { name: 'Rolle vergeben' }).click()]);
  await page.getByText('Die Einladung ist verschickt').waitFor();
  assert.ok(await page.getByRole('cell', { name: 'neue.planerin@koeln.example' }).or(page.getByRole('rowheader', { name: 'neue.planerin@koeln.example' })).count() > 0);
  const { subject, text } = await mail;
  assert.match(subject, /Einladung/);
  const link = text.match(/https?:\/\/\S+\/einladung\?token=\S+/)?.[0];
  assert.ok(link, text);

  // She follows the link on a phone without JavaScript and creates her account.
  const invitee = await env.browser.newContext({ viewport: { width: 360, height: 740 }, javaScriptEnabled: false });
  const her = await invitee.newPage();
  await her.goto(link);
  assert.match(await her.textContent('main'), /„Sozialplanung“/);
  await her.getByLabel('Anzeigename').fill('Neue Planerin');
  await her.getByLabel('Passwort').fill('ein langes Passwort');
  await Promise.all([her.waitForURL(/\/konto\?hinweis=eingeladen/), her.getByRole('button', { name: 'Konto anlegen und Einladung annehmen' }).click()]);
  assert.match(await her.textContent('main'), /Ihre Rolle gilt ab sofort/);
  assert.ok(await her.getByRole('cell', { name: 'Sozialplanung' }).count() > 0, 'the role is on her account page');
  await invitee.close();

  // The administrator sees her, takes the role back, and suspends another person's access.
  await page.reload();
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await Promise.all([page.waitForURL(/hinweis=entzogen/), page.getByRole('button', { name: 'Neue Planerin: Sozialplanung – entziehen' }).click()]);
  await page.getByText('Die Rolle ist entzogen').waitFor();
  await Promise.all([page.waitForURL(/hinweis=gesperrt/), page.getByRole('button', { name: 'Quartiersmanagement Kalk: Zugang sperren' }).click()]);
  await page.getByText('Der Zugang ist gesperrt').waitFor();
  const row = page.locator('table.members tr').filter({ hasText: 'Quartiersmanagement Kalk' });
  assert.match(await row.textContent(), /gesperrt/);
  const log = await page.locator('#protokoll ~ * table, section:has(#protokoll) table').first().textContent();
  for (const entry of ['eingeladen', 'Einladung angenommen', 'Rolle entzogen', 'Zugang gesperrt']) assert.match(log, new RegExp(entry));
  // Her own access the administrator cannot suspend: there is no button for it.
  assert.equal(await page.getByRole('button', { name: 'Admin Köln: Zugang sperren' }).count(), 0);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px too wide`);
  assert.deepEqual(failed, []);
  assert.deepEqual(errors, []);
  await context.close();
});
