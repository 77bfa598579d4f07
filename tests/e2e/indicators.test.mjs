// Indicators in a real browser: a planner creates an indicator, imports a CSV through the
// two-step import page, sees the choropleth drawn with its legend, moves the time slider of a
// demo indicator, and opens a Quartier's profile from the map. Starts its own server on a
// fresh SQLite database with the demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { useServerAndBrowser, openPage, signIn } from './harness.mjs';

const env = useServerAndBrowser(before, after);
const desktop = () => openPage(env.browser);

test('a planner imports a CSV, sees the choropleth and opens a profile from the map', async () => {
  const { page, errors, context } = await desktop();
  await signIn(page, env.base, 'planung@koeln.demo');

  // A new indicator from the catalogue's form.
  await page.goto(`${env.base}/kommune/koeln/indikatoren`);
  await page.getByText('Neuen Indikator anlegen').click();
  await page.locator('#ind-name').fill('Wohnfläche je Kind (E2E)');
  await page.locator('#ind-key').fill('e2e_wohnflaeche');
  await page.locator('#ind-kind').selectOption('index');
  await page.locator('#ind-min').fill('0');
  await Promise.all([
    page.waitForURL(/\/indikator\/\d+\?hinweis=angelegt/),
    page.getByRole('button', { name: 'Indikator anlegen' }).click(),
  ]);
  const indicatorId = page.url().match(/\/indikator\/(\d+)/)[1];

  // A Windows-style CSV for all 86 Stadtteile: semicolons, decimal comma.
  const levels = await (await page.request.post(`${env.base}/graphql`, {
    headers: { 'content-type': 'application/json', origin: env.base },
    data: { query: '{ levels(tenant: "koeln") { id key areas { code } } }' },
  })).json();
  const stadtteile = levels.data.levels.find((l) => l.key === 'stadtteil');
  const lines = ['Gebiet;Datum;Wert'];
  stadtteile.areas.forEach((a, i) => lines.push(`${a.code};31.12.2012;${(10 + (i * 7) % 40).toString()},5`));
  const dir = mkdtempSync(join(tmpdir(), 'qn-csv-'));
  const file = join(dir, 'werte.csv');
  writeFileSync(file, lines.join('\r\n') + '\r\n');

  await page.goto(`${env.base}/kommune/koeln/indikatoren/import`);
  await page.locator('#imp-ind').selectOption(indicatorId);
  await page.locator('#imp-level').selectOption(stadtteile.id);
  await page.locator('#imp-file').setInputFiles(file);
  await Promise.all([page.waitForURL(/entwurf=\d+/), page.getByRole('button', { name: 'Datei prüfen' }).click()]);
  assert.match(await page.textContent('main'), /86 Werte für 86 Gebiete/);
  await Promise.all([
    page.waitForURL(/hinweis=importiert/),
    page.getByRole('button', { name: 'Jetzt importieren' }).click(),
  ]);
  assert.match(await page.textContent('main'), /Die Werte wurden importiert/);

  // The choropleth: 86 areas drawn in several colours, a legend, the table.
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 30_000 });
  const paths = page.locator('.qn-map path.leaflet-interactive');
  assert.equal(await paths.count(), 86);
  const fills = new Set(await paths.evaluateAll((ps) => ps.map((p) => p.getAttribute('fill'))));
  assert.ok(fills.size >= 4, `choropleth uses several classes: ${[...fills]}`);
  assert.equal(await page.locator('.legend-list li').count(), 5);
  assert.equal(await page.locator('table.value-table tbody tr').count(), 86);

  // A click on an area opens its profile with the new indicator in it.
  await Promise.all([page.waitForURL(/\/quartier\/\d+$/), paths.nth(10).click({ force: true })]);
  await page.waitForSelector('#steckbrief');
  const profile = await page.textContent('section.profile');
  assert.match(profile, /Wohnfläche je Kind \(E2E\)/);
  assert.match(profile, /von 86/);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the time slider moves a demo indicator through the years; the table sorts by links', async () => {
  const { page, errors, context } = await desktop();
  await page.goto(`${env.base}/kommune/koeln/indikatoren`);
  await Promise.all([page.waitForURL(/\/indikator\/\d+$/), page.getByRole('link', { name: 'Anteil unter 18-Jähriger' }).click()]);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 30_000 });
  assert.match(await page.textContent('h1'), /31\.12\.2012/);
  const slider = page.locator('#zeit');
  assert.ok(await slider.isVisible(), 'the slider shows once the script runs');
  await Promise.all([page.waitForURL(/datum=2005-12-31/), slider.fill('0')]);
  assert.match(await page.textContent('h1'), /31\.12\.2005/);
  // The table sorts by value through a plain link.
  await page.getByRole('link', { name: /^Wert/ }).click();
  await page.waitForURL(/sortierung=wert/);
  const values = await page.locator('table.value-table tbody td.num').allTextContents();
  const numbers = values.map((v) => Number(v.replace(' %', '').replace('.', '').replace(',', '.')));
  assert.deepEqual(numbers, [...numbers].sort((a, b) => a - b));
  assert.deepEqual(errors, []);
  await context.close();
});

test('without JavaScript: the map page works as a form with a sortable table, the slider stays hidden', async () => {
  const context = await env.browser.newContext({ javaScriptEnabled: false, viewport: { width: 360, height: 740 } });
  const page = await context.newPage();
  await page.goto(`${env.base}/kommune/koeln/indikatoren`);
  await page.getByRole('link', { name: 'Anteil ab 65-Jähriger' }).click();
  assert.equal(await page.locator('table.value-table tbody tr').count(), 86);
  assert.ok(!(await page.locator('#zeit').isVisible()), 'no slider without script');
  await page.getByLabel('Stichtag').selectOption('2008-12-31');
  await page.getByLabel('Klassifizierung').selectOption('natural_breaks');
  await page.getByLabel('Anzahl Klassen').selectOption('4');
  await Promise.all([page.waitForURL(/datum=2008-12-31/), page.getByRole('button', { name: 'Anzeigen' }).click()]);
  assert.match(await page.textContent('h1'), /31\.12\.2008/);
  assert.equal(await page.locator('.legend-list li').count(), 4);
  await page.getByRole('link', { name: /^Wert/ }).click();
  await page.getByRole('link', { name: /^Wert/ }).click();
  await page.waitForURL(/sortierung=wert_ab/);
  assert.equal(await page.getAttribute('th[aria-sort="descending"]', 'scope'), 'col');
  // The Quartier page's profile is there without script too.
  await page.locator('table.value-table tbody th a').first().click();
  await page.waitForURL(/\/quartier\/\d+$/);
  assert.match(await page.textContent('section.profile'), /Anteil ab 65-Jähriger/);
  await context.close();
});

test('a planner prints a Quartier profile: A4 with map, a table that fits, source and date; no offers, no buttons', async () => {
  const { page, errors, context } = await desktop();
  await page.goto(`${env.base}/`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await Promise.all([page.waitForURL(/\/kommune\/koeln/), page.locator('a[href="/kommune/koeln"]').first().click()]);
  await Promise.all([page.waitForURL(/\/quartier\/\d+$/), page.locator('table.area-table a[href^="/quartier/"]').first().click()]);
  await page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 30_000 });
  await page.getByRole('heading', { name: 'Steckbrief' }).waitFor();
  // On screen: offers and boards are there, the source line is not.
  assert.ok(await page.locator('#angebote').isVisible());
  assert.equal(await page.locator('.source-line').isVisible(), false);

  // The printout: an A4 page is about 680 CSS px wide inside its margins.
  await page.setViewportSize({ width: 680, height: 960 });
  await page.emulateMedia({ media: 'print' });
  await page.evaluate(() => window.dispatchEvent(new Event('beforeprint')));
  for (const hidden of ['#angebote', '#nachbarn', '#beteiligung', '.site-header', 'button[data-print]']) {
    assert.equal(await page.locator(hidden).first().isVisible(), false, `${hidden} is not printed`);
  }
  assert.ok(await page.locator('.qn-map[data-highlight]').isVisible(), 'the map is printed');
  const map = await page.locator('.qn-map[data-highlight]').boundingBox();
  assert.ok(map.height > 250 && map.width <= 680, `map ${map.width}×${map.height}`);
  const table = await page.evaluate(() => {
    const t = document.querySelector('.profile-table');
    return { table: t.getBoundingClientRect().right, page: document.documentElement.clientWidth };
  });
  assert.ok(table.table <= table.page + 1, `the profile table fits: ${JSON.stringify(table)}`);
  const source = await page.locator('.source-line').textContent();
  assert.match(source, /Quelle: kleinräumige Statistik der Kommune .+ Gedruckt am \d{1,2}\.\d{1,2}\.\d{4}/);
  assert.match(await page.locator('.print-kicker').textContent(), /Quartiersprofil/);
  // Chromium lays it out on A4.
  const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
  assert.ok(pdf.length > 10_000, 'a printable PDF');
  assert.deepEqual(errors, []);
  await context.close();
});
