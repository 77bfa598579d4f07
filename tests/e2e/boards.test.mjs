// Participation boards in a real browser: the whole way of one idea (a resident posts it with a
// point picked on the map, a second resident supports and comments, a visitor reports it, the
// moderator hides and restores it, the planner answers), and the OWASP filter-evasion vectors
// run through the real pages. Starts its own server on a fresh SQLite database with the demo
// data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { useServerAndBrowser, openPage, signIn as signInAt, root } from './harness.mjs';

const env = useServerAndBrowser(before, after);

const visitor = (options) => openPage(env.browser, options);

async function signIn(email) {
  const v = await visitor();
  await signInAt(v.page, env.base, email);
  return v;
}

async function gql(page, query, variables = {}) {
  const r = await page.request.post(`${env.base}/graphql`, {
    headers: { 'content-type': 'application/json', origin: env.base },
    data: { query, variables },
  });
  return r.json();
}

/// Submits the form around `button` and waits for the redirect that carries `notice`.
async function submit(page, button, notice) {
  await Promise.all([page.waitForURL(new RegExp(`hinweis=${notice}`)), button.click()]);
}

test('an idea from the map to the answer: post, support, comment, report, hide, restore, answer', async () => {
  // 1. A resident posts an idea on the Kalk board and picks its place on the map.
  const anna = await signIn('bewohnerin@koeln.demo');
  await anna.page.goto(`${env.base}/pinnwand/1`);
  await anna.page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await anna.page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 30_000 });
  const before = Number(await anna.page.getAttribute('.qn-map', 'data-points-count'));
  await anna.page.locator('.qn-map').scrollIntoViewIfNeeded();
  const box = await anna.page.locator('.qn-map').boundingBox();
  // Near a corner of the focused Stadtteil's box, away from the demo points in its middle.
  await anna.page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.7);
  const lat = await anna.page.inputValue('#p-lat');
  const lon = await anna.page.inputValue('#p-lon');
  assert.match(lat, /^5\d\.\d{6}$/, 'the click filled the latitude');
  assert.match(lon, /^[67]\.\d{6}$/, 'the click filled the longitude');
  assert.equal(new URL(anna.page.url()).pathname, '/pinnwand/1', 'picking does not navigate');

  await anna.page.getByLabel('Idee').check();
  await anna.page.locator('#p-titel').fill('Trinkbrunnen am Bürgerpark (E2E)');
  await anna.page.locator('#p-text').fill('Im Sommer fehlt hier Wasser.\n\nEin Brunnen am Spielplatz wäre gut.');
  await anna.page.getByRole('group', { name: 'Handlungsfelder' }).getByRole('checkbox').first().check();
  await submit(anna.page, anna.page.getByRole('button', { name: 'Veröffentlichen' }), 'erstellt');
  const postUrl = anna.page.url().split('?')[0];
  const postId = Number(postUrl.match(/\/beitrag\/(\d+)$/)[1]);
  assert.match(await anna.page.textContent('.notice-info'), /veröffentlicht/);
  assert.equal(await anna.page.textContent('h1'), 'Trinkbrunnen am Bürgerpark (E2E)');
  assert.equal(await anna.page.locator('.post-body p').count(), 2, 'blank line makes two paragraphs');
  // The point was placed into its areas, and the map shows it.
  const detail = await gql(anna.page, 'query($id: ID!) { post(id: $id) { post { lat lon } areaIds } }', { id: postId });
  assert.ok(Math.abs(detail.data.post.post.lat - Number(lat)) < 1e-5, JSON.stringify(detail));
  // One area per level (Stadtbezirk, Stadtteil), found by point-in-polygon.
  assert.equal(detail.data.post.areaIds.length, 2, `placed: ${JSON.stringify(detail.data.post.areaIds)}`);
  await anna.page.goto(`${env.base}/pinnwand/1`);
  await anna.page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 30_000 });
  assert.equal(Number(await anna.page.getAttribute('.qn-map', 'data-points-count')), before + 1);
  assert.deepEqual(anna.errors, []);

  // 2. A second resident supports it (once) and comments.
  const murat = await signIn('bewohner@koeln.demo');
  await murat.page.goto(postUrl);
  assert.match(await murat.page.textContent('.actions .supports'), /^0 /);
  await submit(murat.page, murat.page.getByRole('button', { name: 'Unterstützen', exact: true }), 'unterstuetzt');
  assert.match(await murat.page.textContent('.actions .supports'), /^1 /);
  assert.equal(await murat.page.getByRole('button', { name: 'Unterstützen', exact: true }).count(), 0, 'no second support');
  await murat.page.getByLabel('Ihr Kommentar').fill('Gute Idee, die Kinder brauchen das.');
  await submit(murat.page, murat.page.getByRole('button', { name: 'Kommentieren' }), 'kommentiert');
  assert.match(await murat.page.textContent('.comment-list'), /Gute Idee, die Kinder brauchen das\./);
  assert.deepEqual(murat.errors, []);

  // 3. A visitor without an account reports it, by keyboard only.
  const guest = await visitor();
  await guest.page.goto(postUrl);
  await guest.page.locator('article details.report summary').focus();
  await guest.page.keyboard.press('Enter');
  await guest.page.getByLabel('Grund der Meldung').first().focus();
  await guest.page.keyboard.type('Werbung für eine Firma');
  await Promise.all([guest.page.waitForURL(/hinweis=gemeldet/), guest.page.keyboard.press('Enter')]);
  assert.match(await guest.page.textContent('main'), /die Moderation sieht sich das an/);

  // 4. The moderator finds it in the queue, hides it with a reason, everyone sees the note.
  const mod = await signIn('moderation@koeln.demo');
  await mod.page.goto(`${env.base}/kommune/koeln/moderation`);
  const queued = mod.page.locator('ol.queue li', { hasText: 'Trinkbrunnen am Bürgerpark (E2E)' });
  assert.match(await queued.textContent(), /Werbung für eine Firma/);
  await mod.page.goto(postUrl);
  await mod.page.locator('article details.moderate summary').click();
  await mod.page.locator(`#mod-post-${postId}`).fill('Kein Bezug zum Quartier');
  await submit(mod.page, mod.page.getByRole('button', { name: 'Ausblenden' }), 'moderiert');
  await guest.page.goto(postUrl);
  assert.match(await guest.page.textContent('.hidden-note'), /Ausgeblendet durch die Moderation: Kein Bezug zum Quartier/);
  assert.doesNotMatch(await guest.page.textContent('main'), /Trinkbrunnen|Im Sommer fehlt/);
  await guest.page.goto(`${env.base}/pinnwand/1`);
  assert.doesNotMatch(await guest.page.textContent('main'), /Trinkbrunnen/);

  // ... and restores it; the audit log holds both decisions.
  await mod.page.locator('article details.moderate summary').click();
  await mod.page.locator(`#mod-post-${postId}`).fill('Doch passend, Firma nicht genannt');
  await submit(mod.page, mod.page.getByRole('button', { name: 'Wieder einblenden' }), 'moderiert');
  await guest.page.goto(postUrl);
  assert.equal(await guest.page.locator('.hidden-note').count(), 0);
  assert.equal(await guest.page.textContent('h1'), 'Trinkbrunnen am Bürgerpark (E2E)');
  await mod.page.goto(`${env.base}/kommune/koeln/moderation`);
  const log = await mod.page.textContent('section:has(#protokoll)');
  assert.match(log, /Kein Bezug zum Quartier/);
  assert.match(log, /Doch passend, Firma nicht genannt/);
  assert.deepEqual(mod.errors, []);

  // 5. The planner answers and sets the status; the answer stands out for everyone.
  const planner = await signIn('planung@koeln.demo');
  await planner.page.goto(postUrl);
  await planner.page.locator('#a-status').selectOption('in_conference');
  await planner.page.locator('#a-text').fill('Wir bringen die Idee in die Sozialraumkonferenz Kalk im März ein.');
  await submit(planner.page, planner.page.getByRole('button', { name: 'Speichern' }).first(), 'beantwortet');
  await guest.page.goto(postUrl);
  const answer = guest.page.locator('section.official-answer');
  assert.match(await answer.textContent(), /Sozialraumkonferenz Kalk im März/);
  assert.match(await guest.page.textContent('article .status'), /in der Sozialraumkonferenz/);
  assert.deepEqual(planner.errors, []);
  assert.deepEqual(guest.errors, []);
  for (const v of [anna, murat, guest, mod, planner]) await v.context.close();
});

test('every OWASP filter-evasion vector renders inert in titles, bodies, comments and names', async () => {
  const vectors = JSON.parse(readFileSync(join(root, 'tests/fixtures/xss-vectors.json'), 'utf8'));
  assert.equal(vectors.length, 131);
  // The moderator writes them (moderators are not rate-limited) on an anonymous board, so the
  // vectors go into the display names too.
  const admin = await signIn('admin@koeln.demo');
  const tenant = await gql(admin.page, '{ tenant(slug: "koeln") { id } }');
  const created = await gql(admin.page,
    'mutation($t: ID!) { createBoard(tenantId: $t, input: { title: "XSS-Prüfung", access: ANONYMOUS }) { id } }',
    { t: tenant.data.tenant.id });
  const boardId = created.data.createBoard.id;
  const posts = [];
  for (const v of vectors) {
    const r = await gql(admin.page,
      'mutation($i: PostInput!) { createPost(input: $i) { id } }',
      { i: { boardId, kind: 'IDEA', title: v.slice(0, 150), body: `${v}\n\nText`, displayName: v.slice(0, 60) } });
    if (v.includes('\u0000')) {
      // NUL never reaches a handler: refused at the edge with its own code.
      assert.equal(r.errors?.[0]?.extensions?.code, 'CONTROL_CHARACTER', `post with ${v}: ${JSON.stringify(r)}`);
      continue;
    }
    assert.ok(r.data, `post with ${v}: ${JSON.stringify(r.errors)}`);
    const id = r.data.createPost.id;
    const c = await gql(admin.page,
      'mutation($p: ID!, $b: String!, $n: String) { createComment(postId: $p, body: $b, displayName: $n) { id } }',
      { p: id, b: v, n: v.slice(0, 60) });
    assert.ok(c.data, `comment with ${v}: ${JSON.stringify(c.errors)}`);
    posts.push(id);
  }
  // The probe's list markup: a bare <li> that once closed its comment's list entry (a forged
  // "Stadtverwaltung" entry), and markup that once broke the page.
  const forged = '<li>x</li><li><strong>Stadtverwaltung</strong> · 01.12.2026 Das Projekt wurde gestoppt</li>';
  const breaker = '<li onfocusout=alert(1) tabindex=1 id=x></li><input autofocus>';
  for (const b of [forged, breaker]) {
    const c = await gql(admin.page,
      'mutation($p: ID!, $b: String!) { createComment(postId: $p, body: $b, displayName: "Gast") { id } }',
      { p: posts[0], b });
    assert.ok(c.data, `comment ${b}: ${JSON.stringify(c.errors)}`);
  }
  await admin.context.close();
  {
    const { page, context } = await visitor();
    await page.goto(`${env.base}/beitrag/${posts[0]}`);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 });
    // Every comment is one entry with its author line; no entry without one was forged.
    const entries = await page.$$eval('.comment-list > li', (l) => l
      .map((li) => li.classList.contains('comment') && !!li.querySelector(':scope > .post-meta .author')));
    assert.ok(entries.length >= 3, `comments: ${entries.length}`);
    assert.ok(entries.every(Boolean), 'every comment entry has its own author line');
    const text = await page.$$eval('.comment-list > li', (l) => l.map((li) => li.querySelector(':scope > .post-meta')?.textContent ?? ''));
    assert.ok(!text.some((t) => t.includes('Stadtverwaltung')), `no forged author: ${text}`);
    await context.close();
  }

  // A visitor with the CSP switched off, so only the sanitiser stands between a vector and
  // the page: no dialog may open, no markup that can run script may exist in user content.
  const { page, context } = await visitor({ bypassCSP: true });
  const ran = [];
  page.on('dialog', async (d) => { ran.push(`${page.url()}: ${d.type()} ${d.message()}`); await d.dismiss(); });
  await page.exposeFunction('qnXss', (where) => ran.push(`${page.url()}: ${where}`));
  await page.addInitScript(() => {
    // Vectors call alert(), but some variants reach for other sinks; trap them all.
    for (const name of ['alert', 'confirm', 'prompt']) window[name] = () => window.qnXss(name);
  });
  const inspect = () => page.evaluate(() => {
    const bad = [];
    for (const root of document.querySelectorAll('.user-content, .user-text, h1, .author, title')) {
      for (const el of root.querySelectorAll('*')) {
        const tag = el.tagName.toLowerCase();
        if (['script', 'iframe', 'img', 'svg', 'object', 'embed', 'style', 'link', 'meta', 'base', 'form', 'input', 'frame', 'math', 'video', 'audio', 'body', 'xss'].includes(tag)) bad.push(`<${tag}>`);
        for (const a of el.attributes) {
          if (/^on/i.test(a.name) || a.name === 'style' || a.name === 'src') bad.push(`${tag}[${a.name}]`);
          if (/^\s*(javascript|vbscript|data):/i.test(a.value)) bad.push(`${tag}[${a.name}=${a.value}]`);
        }
      }
    }
    return bad;
  });
  const checkPage = async (url) => {
    await page.goto(url, { waitUntil: 'load' });
    // Once the page's scripts have run, so what they change is checked as well as the server's HTML.
    // Vectors that would need a pointer or focus are caught by the on* attribute check.
    // Markup that escaped the sanitiser may stop the page's scripts: report it with the rest.
    const ready = await page.waitForSelector('html[data-ready="true"]', { timeout: 30_000 }).then(() => true, () => false);
    const bad = await inspect();
    if (!ready) bad.push('the page\'s scripts did not run');
    return bad.map((b) => `${url}: ${b}`);
  };
  const urls = [];
  for (let p = 1; p <= Math.ceil(vectors.length / 20); p++) urls.push(`${env.base}/pinnwand/${boardId}?sort=neu&seite=${p}`);
  for (const id of posts) urls.push(`${env.base}/beitrag/${id}`);
  const found = [];
  // A broken sanitiser shows on the first pages already; stop early rather than time out.
  for (const url of urls) if (found.length < 30) found.push(...await checkPage(url));
  // Titles and names are shown as text: the first vector's markup is visible, not parsed.
  await page.goto(`${env.base}/beitrag/${posts[0]}`);
  assert.equal(await page.textContent('h1'), vectors[0]);
  assert.deepEqual(found, []);
  assert.deepEqual(ran, [], 'no script ran');
  await context.close();
});
