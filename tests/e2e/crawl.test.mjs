// Every kind of page, reached as people reach it: from the start page, by clicking the app's own
// links (each click loads the next page), for an anonymous visitor, a
// resident, a provider and a planner, on a 360-px phone. The crawler follows one link of each
// kind (path with numbers as ids, plus the names of its query parameters), so it visits every
// route the pages link to; each step must show a page (no error page, no "not found"), with no
// failed server call and no console error.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, signIn } from './harness.mjs';

const env = useServerAndBrowser(before, after);

/** The kind of a link: `/quartier/12?ebene=x` and `/quartier/7?ebene=y` are the same kind. */
function kind(href) {
  const u = new URL(href);
  const path = u.pathname.replace(/\/\d+(?=\/|$)/g, '/:id');
  const keys = [...new Set([...u.searchParams.keys()])].sort().join('&');
  return keys ? `${path}?${keys}` : path;
}

/** The app's own links on the page: same origin, no downloads, no files, not the logout. */
async function links(page) {
  const found = await page.$$eval('main a[href], header a[href]', (as) => as
    .filter((a) => !a.hasAttribute('download') && !a.target && a.offsetParent !== null)
    .map((a) => ({ href: a.href, raw: a.getAttribute('href') })));
  return found.filter(({ href }) => {
    const u = new URL(href);
    return u.origin === env.base && !u.pathname.startsWith('/api/') && !/\.\w+$/.test(u.pathname) && !u.hash;
  });
}

async function crawl(role, email) {
  const { page, errors, context } = await openPage(env.browser, { viewport: { width: 360, height: 740 } });
  const failed = [];
  page.on('response', (r) => {
    if (r.status() >= 400 && new URL(r.url()).pathname.startsWith('/api/')) failed.push(`${r.status()} ${r.url()} (on ${page.url()})`);
  });
  if (email) await signIn(page, env.base, email);
  await page.goto(`${env.base}/`);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  const seen = new Set([kind(page.url())]);
  // Pages whose links are not all followed yet, to come back to when a page offers nothing new.
  const frontier = [page.url()];
  const visited = [];
  while (frontier.length && visited.length < 80) {
    const here = page.url();
    const found = (await links(page)).find((l) => !seen.has(kind(l.href)));
    if (!found) {
      const back = frontier.pop();
      if (back !== here) {
        await page.goto(back);
        await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
      }
      continue;
    }
    const next = found.href;
    seen.add(kind(next));
    frontier.push(here);
    const target = page.locator(`main a[href="${found.raw}"]:visible, header a[href="${found.raw}"]:visible`).first();
    await Promise.all([page.waitForURL((u) => kind(u.href) === kind(next), { timeout: 30_000 }), target.click()]);
    await page.waitForLoadState('networkidle');
    const main = await page.textContent('main');
    assert.doesNotMatch(main, /Etwas ist schiefgegangen/, `${role}: ${next} after a click on ${here}`);
    assert.doesNotMatch(await page.textContent('h1').catch(() => ''), /Seite nicht gefunden/, `${role}: ${next} (linked from ${here}) is not found`);
    // Every page says what it is in the browser's tab and to screen readers (WCAG 2.4.2).
    assert.match(await page.title(), /\S/, `${role}: ${next} has no title`);
    visited.push(kind(next));
    // Files (CSV, GeoJSON, JSON) are not pages: their links must leave the app's router
    // (`download` or `rel="external"`), else a click shows the app's "not found".
    const routed = await page.$$eval('a[href^="/api/"]', (as) => as
      .filter((a) => !a.hasAttribute('download') && a.rel !== 'external').map((a) => a.getAttribute('href')));
    assert.deepEqual(routed, [], `${role}: file links the router would take on ${page.url()}`);
  }
  assert.deepEqual(failed, [], `${role}: failed server calls`);
  assert.deepEqual(errors, [], `${role}: console errors`);
  await context.close();
  console.log(`${role}: ${visited.length} kinds of page: ${visited.join(' ')}`);
  return visited;
}

test('every page an anonymous visitor can reach by clicking', async () => {
  const visited = await crawl('anonymous');
  for (const k of ['/kommune/koeln', '/quartier/:id', '/angebote', '/registrieren', '/anmelden']) {
    assert.ok(visited.includes(k), `reached ${k}: ${visited.join(' ')}`);
  }
});

test('every page a resident can reach by clicking', async () => {
  const visited = await crawl('resident', 'bewohnerin@koeln.demo');
  assert.ok(visited.includes('/konto'), visited.join(' '));
});

test('every page a provider can reach by clicking', async () => {
  const visited = await crawl('provider', 'anbieter@koeln.demo');
  assert.ok(visited.some((v) => v.startsWith('/akteur/')), visited.join(' '));
});

test('every page a planner can reach by clicking', async () => {
  const visited = await crawl('planner', 'planung@koeln.demo');
  for (const k of ['/umfrage/:id/verwaltung', '/kommune/koeln/indikatoren/import']) {
    assert.ok(visited.includes(k), `reached ${k}: ${visited.join(' ')}`);
  }
});
