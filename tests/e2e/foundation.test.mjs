// The foundation in a real browser: the demo's Kommune page shows all 86 Stadtteile on the map
// and in the list, a click on the map opens a Quartier page, registration and login work, a
// person downloads what is stored about them and deletes their account, and
// no page logs a JavaScript error. Starts its own server on a fresh SQLite database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startServer, launchBrowser, registerAndConfirm } from './harness.mjs';

let server, browser, base;

before(async () => {
  server = await startServer();
  base = server.base;
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

/** A phone-sized page that records every JavaScript error. */
async function phone() {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'de-DE' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return { page, errors, context };
}

test('Kommune page: 86 Stadtteile on the map and in the list; a click opens the Quartier', async () => {
  const { page, errors, context } = await phone();
  await page.goto(`${base}/kommune/koeln`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 30_000 });
  assert.equal(await page.locator('.qn-map path.leaflet-interactive').count(), 86);
  assert.equal(await page.locator('table.area-table tbody tr').count(), 86);
  assert.equal(await page.getAttribute('.qn-map', 'data-count'), '86');
  // Fits a 360 px phone: no horizontal scrolling.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `page is ${overflow}px too wide`);
  // Keyboard: the first Tab reaches the skip link.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), 'Zum Inhalt springen');

  // A click on the map opens that area's page.
  await Promise.all([
    page.waitForURL(/\/quartier\/\d+$/),
    page.locator('.qn-map path.leaflet-interactive').nth(40).click({ force: true }),
  ]);
  await page.waitForSelector('h1');
  const title = await page.textContent('h1');
  assert.ok(title && title.length > 1, 'Quartier page has a heading');
  assert.ok(await page.getByRole('heading', { name: 'Nachbargebiete' }).isVisible());
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 30_000 });

  // The list links work too (keyboard users' path).
  await page.goto(`${base}/kommune/koeln`);
  await page.getByRole('link', { name: 'Altstadt/Nord', exact: true }).first().click();
  await page.waitForURL(/\/quartier\/\d+$/);
  assert.equal(await page.textContent('h1'), 'Altstadt/Nord');

  assert.deepEqual(errors, []);
  await context.close();
});

test('registration, logout and login with the plain forms', async () => {
  const { page, errors, context } = await phone();
  const email = `e2e-${Date.now()}@example.org`;
  await page.goto(`${base}/registrieren`);
  await page.getByLabel('Anzeigename').fill('Test Person');
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill('kurz');
  // The browser's own check stops a too-short password before it is sent.
  await page.getByRole('button', { name: 'Konto anlegen' }).click();
  assert.match(page.url(), /\/registrieren$/);
  // The confirmation mail crosses SMTP to an independent server and parser (aiosmtpd).
  const mail = await registerAndConfirm(page, server, { name: 'Test Person', email, tenant: 'koeln' });
  assert.match(mail.text, /Hallo Test Person,/);
  await page.goto(`${base}/`);
  await page.waitForSelector('text=Angemeldet als');
  assert.ok((await page.textContent('header')).includes('Test Person'));
  // The Kommune chosen at registration is one click away.
  await page.getByRole('navigation', { name: 'Ihre Kommune' }).getByRole('link', { name: 'Stadt Köln (Demo)' }).click();
  await page.waitForURL(/\/kommune\/koeln$/);
  await page.goto(`${base}/`);

  await Promise.all([page.waitForURL(/\/anmelden\?hinweis=abgemeldet/), page.getByRole('button', { name: 'Abmelden' }).click()]);
  assert.ok(await page.getByText('Sie sind abgemeldet.').isVisible());

  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill('falsches Passwort');
  await Promise.all([page.waitForURL(/fehler=INVALID_CREDENTIALS/), page.getByRole('button', { name: 'Anmelden' }).click()]);
  assert.ok(await page.getByRole('alert').filter({ hasText: 'E-Mail-Adresse oder Passwort ist falsch.' }).isVisible());
  await page.getByLabel('Passwort').fill('ein langes Passwort');
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole('button', { name: 'Anmelden' }).click()]);
  await page.waitForSelector('text=Angemeldet als');

  // "Mein Konto": the role, the download of everything stored, and deletion.
  await Promise.all([page.waitForURL(/\/konto$/), page.getByRole('link', { name: 'Mein Konto' }).click()]);
  assert.equal(await page.textContent('h1'), 'Mein Konto');
  const roles = page.getByRole('table', { name: 'Ihre Rollen' });
  assert.ok(await roles.getByRole('row', { name: 'Stadt Köln (Demo) Bewohnerin oder Bewohner' }).isVisible());
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Alle Daten herunterladen (JSON-Datei)' }).click(),
  ]);
  assert.equal(download.suggestedFilename(), 'quartiersnetz-meine-daten.json');
  const data = JSON.parse(await readFile(await download.path(), 'utf8'));
  assert.equal(data.konto.email, email);
  assert.equal(data.mitgliedschaften[0].rolle, 'resident');
  await page.getByLabel('Ihr Passwort zur Bestätigung').fill('ein langes Passwort');
  await page.getByLabel('Ich möchte mein Konto endgültig löschen.').check();
  await Promise.all([
    page.waitForURL(/\/anmelden\?hinweis=konto-geloescht$/),
    page.getByRole('button', { name: 'Konto endgültig löschen' }).click(),
  ]);
  assert.ok(await page.getByText('Ihr Konto und die Daten dazu sind gelöscht.').isVisible());
  await page.getByLabel('E-Mail-Adresse').fill(email);
  await page.getByLabel('Passwort').fill('ein langes Passwort');
  await Promise.all([page.waitForURL(/fehler=INVALID_CREDENTIALS/), page.getByRole('button', { name: 'Anmelden' }).click()]);

  assert.deepEqual(errors, []);
  await context.close();
});

test('without JavaScript: content and forms work', async () => {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(`${base}/kommune/koeln`);
  assert.equal(await page.locator('table.area-table tbody tr').count(), 86);
  // The level switch is a plain GET form.
  await page.getByLabel('Gebietsebene').selectOption('stadtbezirk');
  await Promise.all([page.waitForURL(/ebene=stadtbezirk/), page.getByRole('button', { name: 'Anzeigen' }).click()]);
  assert.equal(await page.locator('table.area-table tbody tr').count(), 9);
  await page.goto(`${base}/anmelden`);
  await page.getByLabel('E-Mail-Adresse').fill('planung@koeln.demo');
  await page.getByLabel('Passwort').fill('quartiersnetz-demo');
  await Promise.all([page.waitForURL(`${base}/`), page.getByRole('button', { name: 'Anmelden' }).click()]);
  assert.ok((await page.textContent('header')).includes('Sozialplanung Köln'));
  await context.close();
});

test('the app is installable: manifest, icons and service worker', async () => {
  const { page, errors, context } = await phone();
  await page.goto(`${base}/`);
  const manifest = await (await page.request.get(`${base}/manifest.webmanifest`)).json();
  assert.equal(manifest.display, 'standalone');
  for (const icon of manifest.icons) {
    assert.equal((await page.request.get(`${base}${icon.src}`)).status(), 200, icon.src);
  }
  const registered = await page.evaluate(async () => {
    const reg = await navigator.serviceWorker.ready;
    return !!reg.active;
  });
  assert.ok(registered, 'service worker active');
  assert.deepEqual(errors, []);
  await context.close();
});
