// Page weight budgets for residents on old phones and slow networks, measured in bytes as they
// cross the network (compressed), not in time: each page is opened in a fresh browser with an
// empty cache (and no service worker, whose precaching runs in the background), reached by
// clicking from the start page as a resident does, and every response it loads is counted.
// A resident page may load at most 150 kB of compressed script and wasm, and 60 kB of HTML and
// CSS; most load no wasm at all (only a survey's question pages do).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser } from './harness.mjs';

const env = useServerAndBrowser(before, after);

const SCRIPT_BUDGET = 150 * 1024;
const HTML_CSS_BUDGET = 60 * 1024;

/**
 * What one visit to `url` transfers, by kind, from an empty cache on a 360-px phone (with
 * `cookies`, e.g. a survey started elsewhere).
 */
async function weigh(url, cookies = []) {
  const context = await env.browser.newContext({
    viewport: { width: 360, height: 740 }, locale: 'de-DE', serviceWorkers: 'block',
  });
  await context.addCookies(cookies);
  const page = await context.newPage();
  const finished = [];
  page.on('requestfinished', (r) => finished.push(r));
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await page.waitForLoadState('networkidle');
  const bytes = { html: 0, css: 0, script: 0, wasm: 0, other: 0 };
  const files = [];
  for (const r of finished) {
    const size = (await r.sizes()).responseBodySize;
    const path = new URL(r.url()).pathname;
    const kind = path.endsWith('.wasm') ? 'wasm'
      : r.resourceType() === 'document' ? 'html'
        : r.resourceType() === 'stylesheet' ? 'css'
          : r.resourceType() === 'script' ? 'script' : 'other';
    bytes[kind] += size;
    files.push(`${kind} ${size} ${path}`);
  }
  const html = await page.content();
  await context.close();
  return { bytes, files, html };
}

/** The href of the first link on `url` that matches `selector`. */
async function linkOn(url, selector) {
  const context = await env.browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  const href = await page.locator(selector).first().getAttribute('href');
  await context.close();
  assert.ok(href, `${url} links to ${selector}`);
  return new URL(href, env.base).href;
}

test('resident pages stay within their byte budgets', async () => {
  const start = `${env.base}/`;
  const kommune = await linkOn(start, 'a[href="/kommune/koeln"]');
  const quartier = await linkOn(kommune, 'a[href^="/quartier/"]');
  const search = `${env.base}/kommune/koeln/angebote`;
  const offer = await linkOn(search, 'main a[href^="/angebot/"]');
  const boards = await linkOn(kommune, 'a[href="/kommune/koeln/beteiligung"]');
  const board = await linkOn(boards, 'a[href^="/pinnwand/"]');
  const post = await linkOn(board, 'a[href^="/beitrag/"]');
  // The survey's first question page, as its start form leads there; it is weighed in a fresh
  // browser that holds only the started survey's cookie.
  const survey = `${env.base}/umfrage/1`;
  const started = await env.browser.newContext();
  const sp = await started.newPage();
  await sp.goto(survey);
  await Promise.all([sp.waitForURL(/\/seite\/1$/), sp.getByRole('button', { name: 'Umfrage beginnen' }).click()]);
  const questions = sp.url();
  const cookies = await started.cookies();
  await started.close();
  const pages = { start, kommune, quartier, survey, questions, board, post, search, offer };
  const report = [];
  for (const [name, url] of Object.entries(pages)) {
    const { bytes, files, html } = await weigh(url, name === 'questions' ? cookies : []);
    assert.doesNotMatch(html, /Etwas ist schiefgegangen/, `${name} shows its page`);
    const scripts = bytes.script + bytes.wasm;
    const first = bytes.html + bytes.css;
    report.push(`${name}: html+css ${first} B, js+wasm ${scripts} B (${new URL(url).pathname})`);
    assert.ok(scripts <= SCRIPT_BUDGET, `${name}: ${scripts} B of script and wasm > ${SCRIPT_BUDGET}\n${files.join('\n')}`);
    assert.ok(first <= HTML_CSS_BUDGET, `${name}: ${first} B of HTML and CSS > ${HTML_CSS_BUDGET}\n${files.join('\n')}`);
    // Only a survey's question pages load wasm.
    if (name === 'questions') {
      assert.ok(bytes.wasm > 0, `the question page loads the survey checks\n${files.join('\n')}`);
    } else {
      assert.equal(bytes.wasm, 0, `${name} loads no wasm\n${files.join('\n')}`);
    }
  }
  console.log(report.join('\n'));
});

test('the survey checks run after the wasm has loaded, and the page works before', async () => {
  const context = await env.browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'de-DE' });
  const page = await context.newPage();
  await page.goto(`${env.base}/umfrage/1`);
  await Promise.all([page.waitForURL(/\/seite\/1$/), page.getByRole('button', { name: 'Umfrage beginnen' }).click()]);
  await page.waitForSelector('form.survey-form[data-enhanced="true"]', { timeout: 60_000 });
  // The module has a hashed name; its wasm comes precompressed and may be kept a year.
  const bundle = await page.locator('form.survey-form').getAttribute('data-bundle');
  assert.match(bundle, /^\/pkg\/quartiersnetz-[0-9a-f]{16}\.js$/);
  const r = await context.request.get(`${env.base}${bundle.replace(/\.js$/, '_bg.wasm')}`, { headers: { 'accept-encoding': 'br, gzip' } });
  assert.equal(r.headers()['content-encoding'], 'br');
  assert.equal(r.headers()['cache-control'], 'public, max-age=31536000, immutable');
  // A required question left open is named at once, in the survey's words, without the server.
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.getByRole('button', { name: 'Weiter' }).click();
  await page.waitForSelector('#fehler:not([hidden])');
  assert.match(await page.textContent('#fehler'), /Bitte beantworten Sie diese Frage/);
  assert.deepEqual(requests.filter((u) => !u.includes('/pkg/')), [], 'checked in the browser');
  await context.close();
});
