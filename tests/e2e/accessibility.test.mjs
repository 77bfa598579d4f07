// WCAG 2.1 AA checks with axe-core on every page of the foundation, on a phone-sized screen,
// once its scripts have run and with the map drawn. Starts its own server on a fresh SQLite database.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { startServer, launchBrowser, signIn } from './harness.mjs';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let server, browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  server?.stop();
});

async function audit(path, { map = false, as = null, survey = false } = {}) {
  // axe is injected from outside the page, so the page's CSP is set aside for it.
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true });
  const page = await context.newPage();
  if (as) await signIn(page, server.base, as);
  if (survey) {
    // A survey page needs an answering session: start it, then send the first page empty, so
    // the problems are on the page too.
    await page.goto(`${server.base}/umfrage/1`);
    await Promise.all([page.waitForURL(/\/seite\/1$/), page.getByRole('button', { name: 'Umfrage beginnen' }).click()]);
    if (path !== '/umfrage/1/seite/1') await page.goto(`${server.base}${path}`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
    if (path === '/umfrage/1/seite/1') await page.getByRole('button', { name: 'Weiter' }).click();
  } else {
    await page.goto(`${server.base}${path}`);
  }
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  if (map) await page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 30_000 });
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  await context.close();
  assert.ok(result.passes.length > 10, `axe checked ${path}`);
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')})`);
}

test('no WCAG 2.1 AA violations found by axe', async () => {
  const quartier = await (await fetch(`${server.base}/kommune/koeln`)).text();
  const firstArea = quartier.match(/href="(\/quartier\/\d+)"/)[1];
  // A demo post with the administration's answer, comments and a reply.
  const answeredList = await (await fetch(`${server.base}/pinnwand/1?status=in_conference`)).text();
  const answered = answeredList.match(/href="(\/beitrag\/\d+)"/)[1];
  const pages = [
    ['/', {}],
    ['/kommune/koeln', { map: true }],
    [firstArea, { map: true }],
    ['/anmelden?fehler=INVALID_CREDENTIALS', {}],
    ['/registrieren', {}],
    ['/passwort-vergessen', {}],
    ['/passwort-neu?token=x', {}],
    ['/konto', {}],
    ['/konto?fehler=INVALID_CREDENTIALS', { as: 'bewohnerin@koeln.demo' }],
    ['/gibt-es-nicht', {}],
    ['/kommune/koeln/indikatoren', {}],
    ['/indikator/2', { map: true }],
    ['/sozialindex/1', { map: true }],
    ['/kommune/koeln/beteiligung', {}],
    ['/kommune/koeln/beteiligung', { as: 'planung@koeln.demo' }],
    ['/pinnwand/1', { map: true }],
    ['/pinnwand/1?sort=unterstuetzt', { map: true, as: 'bewohnerin@koeln.demo' }],
    [answered, { map: true }],
    [answered, { map: true, as: 'moderation@koeln.demo' }],
    [answered, { map: true, as: 'planung@koeln.demo' }],
    ['/kommune/koeln/moderation', { as: 'moderation@koeln.demo' }],
    ['/kommune/koeln/verwaltung', { as: 'admin@koeln.demo' }],
    ['/einladung?token=x', {}],
    ['/kommune/koeln/angebote', { map: true }],
    ['/kommune/koeln/angebote?q=kita&kategorie=betreuung&sprache=de', { map: true }],
    ['/angebot/1', { map: true }],
    ['/akteur/1', {}],
    ['/kommune/koeln/anbieten', { as: 'anbieter@koeln.demo', map: true }],
    ['/akteur/1/bearbeiten', { as: 'planung@koeln.demo', map: true }],
    ['/akteur/1/angebot-neu', { as: 'planung@koeln.demo', map: true }],
    ['/kommune/koeln/angebote/pruefen', { as: 'moderation@koeln.demo' }],
    ['/kommune/koeln/angebote/import', { as: 'planung@koeln.demo' }],
    ['/kommune/koeln/angebote/kategorien', { as: 'planung@koeln.demo' }],
    ['/kommune/koeln/umfragen', {}],
    ['/kommune/koeln/umfragen', { as: 'planung@koeln.demo' }],
    ['/umfrage/1', {}],
    ['/umfrage/1?sprache=tr', {}],
    ['/umfrage/1/seite/1', { survey: true }],
    ['/umfrage/1/seite/4', { survey: true, map: true }],
    ['/umfrage/1/abschluss', { survey: true }],
    ['/umfrage/1/danke', {}],
    ['/umfrage/1/ergebnisse', {}],
    ['/umfrage/1/ergebnisse', { as: 'planung@koeln.demo' }],
    ['/umfrage/1/verwaltung', { as: 'planung@koeln.demo' }],
    ['/umfrage/1/texte?sprache=tr', { as: 'planung@koeln.demo' }],
    ['/kommune/koeln/postleitzahlen', { as: 'planung@koeln.demo' }],
  ];
  const found = [];
  for (const [path, opts] of pages) {
    for (const v of await audit(path, opts)) found.push(`${path}: ${v}`);
  }
  assert.deepEqual(found, []);
});
