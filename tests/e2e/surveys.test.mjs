// Resident surveys in a real browser, on the demo survey "Leben im Stadtbezirk Kalk":
// answered to the end with JavaScript switched off (plain forms, one section per page), and
// with JavaScript on a phone that loses its connection in the middle, finishes offline, and
// comes back online: exactly one response arrives. Starts its own server with the demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, signIn } from './harness.mjs';

const env = useServerAndBrowser(before, after);
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

/** The demo survey's raw responses, as the city's planner exports them. */
async function responseCount() {
  const planner = await openPage(env.browser);
  await signIn(planner.page, env.base, 'planung@koeln.demo');
  const r = await planner.page.request.get(`${env.base}/api/v1/surveys/1/responses.json`);
  assert.equal(r.status(), 200);
  const n = (await r.json()).responses.length;
  await planner.context.close();
  return n;
}

/** With JavaScript, from the survey's start to its part with the map point (part 3). */
async function toMapPoint(page) {
  await page.goto(`${env.base}/umfrage/1`);
  await Promise.all([page.waitForURL(/\/seite\/1$/), page.getByRole('button', { name: 'Umfrage beginnen' }).click()]);
  await page.waitForSelector('form.survey-form[data-enhanced="true"]', { timeout: 60_000 });
  await page.selectOption('#q-quartier-input', { label: 'Vingst' });
  await page.getByLabel('2', { exact: true }).check();
  await page.getByLabel('sehr sicher').check();
  for (const part of ['2', '3']) {
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.waitForSelector(`section[data-section="${part}"]:not([hidden])`);
  }
}

test('without JavaScript: the whole survey, page by page, on a 360-px phone', async () => {
  const before = await responseCount();
  const { page, errors, context } = await openPage(env.browser, { ...PHONE, javaScriptEnabled: false });
  await page.goto(`${env.base}/umfrage/1`);
  assert.equal(await page.textContent('h1'), 'Leben im Stadtbezirk Kalk');
  await Promise.all([page.waitForURL(/\/seite\/1$/), page.getByRole('button', { name: 'Umfrage beginnen' }).click()]);

  // Page 1: a required question left open comes back with its message.
  await Promise.all([page.waitForURL(/\/seite\/1#fragen$/), page.getByRole('button', { name: 'Weiter' }).click()]);
  assert.match(await page.textContent('#fehler'), /In welchem Stadtteil wohnen Sie\?: Bitte beantworten Sie diese Frage/);
  await page.selectOption('#q-quartier-input', { label: 'Kalk' });
  await page.locator('#q-seit-input').fill('7');
  await page.getByLabel('4', { exact: true }).check();
  await page.getByLabel('eher unsicher').check();
  await page.getByRole('group', { name: 'Leben Kinder unter 18 Jahren in Ihrem Haushalt?' }).getByLabel('ja').check();
  // "eher unsicher" opens "Was macht Sie unsicher?" on this page: the server shows it first.
  assert.equal(await page.isVisible('#q-warum'), false);
  await Promise.all([page.waitForURL(/\/seite\/1#fragen$/), page.getByRole('button', { name: 'Weiter' }).click()]);
  assert.equal(await page.isVisible('#q-warum'), true);
  await page.getByLabel('dunkle Wege').check();
  await Promise.all([page.waitForURL(/\/seite\/2$/), page.getByRole('button', { name: 'Weiter' }).click()]);

  // Page 2 (only because there are children), then back and forth keeps the answers.
  assert.equal(await page.textContent('section:not([hidden]) h1'), 'Familie');
  await page.check('#q-kita-ja');
  await Promise.all([page.waitForURL(/\/seite\/1$/), page.getByRole('button', { name: 'Zurück' }).click()]);
  assert.equal(await page.inputValue('#q-seit-input'), '7');
  assert.equal(await page.isChecked('#q-warum-licht'), true);
  await Promise.all([page.waitForURL(/\/seite\/2$/), page.getByRole('button', { name: 'Weiter' }).click()]);
  assert.equal(await page.isChecked('#q-kita-ja'), true);
  await Promise.all([page.waitForURL(/\/seite\/3$/), page.getByRole('button', { name: 'Weiter' }).click()]);

  // Page 3: multiple choice, matrix, ranking.
  await page.getByLabel('Spielplätze').check();
  await page.getByRole('group', { name: 'im Bürgerpark' }).getByLabel('gern', { exact: true }).check();
  await page.selectOption('#q-wichtig-mieten', '1');
  await page.selectOption('#q-wichtig-gruen', '2');
  await Promise.all([page.waitForURL(/\/seite\/4$/), page.getByRole('button', { name: 'Weiter' }).click()]);
  await page.locator('#q-idee-input').fill('Mehr Licht am Bahndamm (ohne JavaScript)');
  await Promise.all([page.waitForURL(/\/abschluss$/), page.getByRole('button', { name: 'Weiter' }).click()]);

  // The review lists the answers; sending stores one response.
  const review = await page.textContent('main');
  for (const expected of ['Kalk', 'eher unsicher', 'dunkle Wege', '1. bezahlbare Mieten', 'Mehr Licht am Bahndamm (ohne JavaScript)']) {
    assert.ok(review.includes(expected), `review shows ${expected}`);
  }
  await Promise.all([page.waitForURL(/\/danke/), page.getByRole('button', { name: 'Antworten absenden' }).click()]);
  assert.equal(await page.textContent('h1'), 'Vielen Dank!');
  assert.deepEqual(errors, []);
  await context.close();
  assert.equal(await responseCount(), before + 1);
});

test('with JavaScript: conditions at once, offline in the middle, sent exactly once when back online', async () => {
  const before = await responseCount();
  const { page, errors, context } = await openPage(env.browser, PHONE);
  await page.goto(`${env.base}/umfrage/1`);
  await Promise.all([page.waitForURL(/\/seite\/1$/), page.getByRole('button', { name: 'Umfrage beginnen' }).click()]);
  await page.waitForSelector('form.survey-form[data-enhanced="true"]', { timeout: 60_000 });
  // The wasm may have been fetched before; from here on nothing needs the network.
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== undefined);

  // Page 1 checked in the browser: no round trip, the message at the question.
  await page.getByRole('button', { name: 'Weiter' }).click();
  assert.match(await page.textContent('#fehler'), /Bitte beantworten Sie diese Frage/);
  assert.match(page.url(), /\/seite\/1$/, 'no request: still on the first page');
  const problemsBefore = await page.locator('#fehler li').count();
  // The Quartier can be picked on the map: a click on an area chooses it in the list.
  await page.waitForSelector('.qn-map[data-pick-area][data-state="ready"]', { timeout: 30_000 });
  await page.locator('.qn-map[data-pick-area]').scrollIntoViewIfNeeded();
  const box = await page.locator('.qn-map[data-pick-area]').boundingBox();
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => document.getElementById('q-quartier-input').value !== '', null, { timeout: 5_000 });
  const picked = await page.inputValue('#q-quartier-input');
  // The fixed answer's problem leaves the list at once.
  await page.waitForFunction((n) => document.querySelectorAll('#fehler li').length === n - 1, problemsBefore, { timeout: 5_000 });
  const choices = await page.$$eval('#q-quartier-input option', (os) => os.map((o) => o.value).filter(Boolean));
  assert.ok(choices.includes(picked), `the click chose a Stadtteil of the survey (${picked})`);
  // Or by postcode, resolved in the browser from the Kommune's table (offline too).
  await page.locator('#q-quartier-plz').fill('51105');
  await page.waitForFunction(() => {
    const s = document.getElementById('q-quartier-input');
    return s.options[s.selectedIndex].text === 'Humboldt/Gremberg';
  }, null, { timeout: 5_000 });
  await page.locator('#q-quartier-plz').fill('51107');
  assert.match(await page.textContent('#q-quartier-plz-hint'), /mehrere Quartiere/);
  await page.selectOption('#q-quartier-input', { label: 'Vingst' });
  await page.getByLabel('2', { exact: true }).check();
  // The condition is evaluated at once, by the same rules as on the server.
  await page.getByLabel('sehr unsicher').check();
  await page.waitForSelector('#q-warum:not([hidden])');
  await page.getByLabel('sehr sicher').check();
  await page.waitForSelector('#q-warum[hidden]', { state: 'attached' });
  await page.getByLabel('sehr unsicher').check();
  await page.getByLabel('Verkehr').check();
  await page.getByRole('group', { name: 'Leben Kinder unter 18 Jahren in Ihrem Haushalt?' }).getByLabel('nein').check();
  // Every problem fixed: the box is gone before "Weiter".
  assert.equal(await page.locator('#fehler').isHidden(), true);
  await page.getByRole('button', { name: 'Weiter' }).click();
  // No children: the family section is skipped; the progress says 2 of 4 (the review is the 4th).
  await page.waitForSelector('section[data-section="2"]:not([hidden])');
  assert.match(await page.textContent('#fortschritt'), /Schritt 2 von 4/);

  // The connection drops in the middle.
  await context.setOffline(true);
  assert.equal(await page.evaluate(() => navigator.onLine), false);
  await page.getByLabel('Treffpunkte für Jugendliche').check();
  await page.getByRole('button', { name: 'Weiter' }).click();
  await page.waitForSelector('section[data-section="3"]:not([hidden])');
  await page.locator('#q-idee-input').fill('Ein Jugendtreff in Vingst (offline geschrieben)');
  assert.match(await page.textContent('#fortschritt'), /Schritt 3 von 4/);
  await page.getByRole('button', { name: 'Weiter' }).click();
  await page.waitForSelector('section[data-final]:not([hidden])');
  // The review lists the answers with a way back to each part, as the page without JavaScript.
  assert.match(await page.textContent('#fortschritt'), /Schritt 4 von 4/);
  const review = await page.textContent('#antworten');
  assert.match(review, /Vingst/);
  assert.match(review, /Ein Jugendtreff in Vingst \(offline geschrieben\)/);
  assert.match(review, /Verkehr/);
  await page.locator('#antworten').getByRole('button', { name: 'Ändern' }).first().click();
  await page.waitForSelector('section[data-section="0"]:not([hidden])');
  assert.match(await page.textContent('#fortschritt'), /Schritt 1 von 4/);
  for (const part of ['2', '3']) {
    await page.getByRole('button', { name: 'Weiter' }).click();
    await page.waitForSelector(`section[data-section="${part}"]:not([hidden])`);
  }
  await page.getByRole('button', { name: 'Weiter' }).click();
  await page.waitForSelector('section[data-final]:not([hidden])');
  await page.getByRole('button', { name: 'Antworten absenden' }).click();
  await page.waitForSelector('#senden-status:not([hidden])');
  assert.match(await page.textContent('#senden-status'), /auf diesem Telefon gespeichert/);
  assert.equal(await page.evaluate(() => qnOutbox.all().then((l) => l.length)), 1, 'one response in the outbox');
  assert.equal(await responseCount(), before, 'nothing arrived while offline');

  // Back online: the page (and the service worker) send it; the key makes it count once.
  await context.setOffline(false);
  await page.waitForFunction(() => /wurden gesendet/.test(document.getElementById('senden-status').textContent), null, { timeout: 30_000 });
  await page.evaluate(() => qnOutbox.all().then((l) => l.length)).then((n) => assert.equal(n, 0, 'outbox empty'));
  // Sending again (another "online", a reload of the queue) changes nothing.
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await page.waitForTimeout(500);
  assert.equal(await responseCount(), before + 1, 'exactly one response stored');
  const stored = await (async () => {
    const planner = await openPage(env.browser);
    await signIn(planner.page, env.base, 'planung@koeln.demo');
    const json = await (await planner.page.request.get(`${env.base}/api/v1/surveys/1/responses.json`)).json();
    await planner.context.close();
    return json.responses[json.responses.length - 1].answers;
  })();
  assert.equal(stored.idee.value, 'Ein Jugendtreff in Vingst (offline geschrieben)');
  assert.deepEqual(stored.warum.value.selected, ['verkehr']);
  assert.equal(stored.kita, undefined, 'the skipped section is not in the response');
  assert.deepEqual(errors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED|Failed to fetch|Failed to load resource/.test(e)), []);
  await context.close();
});

test('the map point: opens on the survey area, refuses a tap outside at the question, and a refusal at sending names the question', async () => {
  const before = await responseCount();
  const { page, errors, context } = await openPage(env.browser, PHONE);
  await toMapPoint(page);
  const map = page.locator('.qn-map[data-pick]');
  await page.waitForSelector('.qn-map[data-pick][data-state="ready"]', { timeout: 30_000 });
  await map.scrollIntoViewIfNeeded();
  // The middle of the map is inside the survey's area: a tap there sets the point.
  const box = await map.boundingBox();
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => document.getElementById('q-ort-lat').value !== '', null, { timeout: 5_000 });
  assert.equal(await page.locator('#q-ort-outside').isHidden(), true);
  const set = await page.inputValue('#q-ort-lat');
  const setLon = await page.inputValue('#q-ort-lon');
  // A greyed area beside it is outside: the tap is refused at the question and sets nothing.
  const outside = await page.evaluate((m) => {
    for (const p of document.querySelectorAll('.qn-map[data-pick] path[fill="#bdbdbd"]')) {
      const r = p.getBoundingClientRect();
      const x = r.x + r.width / 2, y = r.y + r.height / 2;
      if (x > m.x + 4 && x < m.x + m.width - 4 && y > m.y + 4 && y < m.y + m.height - 4 && document.elementFromPoint(x, y) === p) return { x, y };
    }
    return null;
  }, box);
  assert.ok(outside, 'a neighbouring area is in view');
  await page.touchscreen.tap(outside.x, outside.y);
  await page.waitForSelector('#q-ort-outside:not([hidden])');
  assert.equal(await page.textContent('#q-ort-outside'), 'Dieser Ort liegt nicht im Gebiet der Umfrage.');
  assert.equal(await page.inputValue('#q-ort-lat'), set, 'the refused tap changed nothing');

  // Coordinates typed by hand far away pass the browser's checks; the server refuses them at
  // sending, and the page shows that question with the German message and a link to it.
  await page.locator('#q-ort-pick > summary').click();
  await page.locator('#q-ort-lat').fill('52.520000');
  await page.locator('#q-ort-lon').fill('13.400000');
  await page.getByRole('button', { name: 'Weiter' }).click();
  await page.waitForSelector('section[data-final]:not([hidden])');
  await page.getByRole('button', { name: 'Antworten absenden' }).click();
  await page.waitForSelector('section[data-section="3"]:not([hidden])');
  await page.waitForSelector('#fehler:not([hidden])');
  const link = page.locator('#fehler a[href="#q-ort"]');
  assert.match(await link.textContent(), /Dieser Ort liegt nicht im Gebiet der Umfrage\./);
  assert.doesNotMatch(await page.textContent('main'), /do not fit|answer\(s\)/);
  // Fixed (the place tapped before, typed), the response goes through.
  await page.locator('#q-ort-lat').fill(set);
  await page.locator('#q-ort-lon').fill(setLon);
  await page.getByRole('button', { name: 'Weiter' }).click();
  await page.waitForSelector('section[data-final]:not([hidden])');
  await Promise.all([page.waitForURL(/\/danke/), page.getByRole('button', { name: 'Antworten absenden' }).click()]);
  assert.equal(await responseCount(), before + 1);
  assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
  await context.close();
});

test('the map point by keyboard: an address typed and Enter set the point, shown on the map; an unknown one is named', async () => {
  const before = await responseCount();
  const { page, errors, context } = await openPage(env.browser, PHONE);
  await toMapPoint(page);
  await page.waitForSelector('.qn-map[data-pick][data-state="ready"]', { timeout: 30_000 });
  // A house inside the survey's area for the city's register: where the map's middle is.
  const map = page.locator('.qn-map[data-pick]');
  await map.scrollIntoViewIfNeeded();
  const box = await map.boundingBox();
  await page.touchscreen.tap(box.x + box.width / 2, box.y + box.height / 2);
  await page.waitForFunction(() => document.getElementById('q-ort-lat').value !== '');
  const house = { lat: await page.inputValue('#q-ort-lat'), lon: await page.inputValue('#q-ort-lon') };
  const planner = await openPage(env.browser);
  await signIn(planner.page, env.base, 'planung@koeln.demo');
  const upload = await planner.page.request.post(`${env.base}/kommune/koeln/angebote/adressen`, {
    headers: { origin: env.base },
    multipart: {
      crs: 'EPSG:25832',
      datei: { name: 'adressen.csv', mimeType: 'text/csv', buffer: Buffer.from(`strasse;hausnummer;plz;ort;lon;lat\nOstheimer Straße;12;51107;Köln;${house.lon};${house.lat}\nDomkloster;4;50667;Köln;6.9583;50.9413\n`) },
    },
    maxRedirects: 0,
  });
  assert.equal(upload.status(), 303);
  assert.match(upload.headers().location, /hinweis=gespeichert/);
  await planner.context.close();
  // The resident starts over with the point: the fields are emptied.
  await page.locator('#q-ort-pick > summary').click();
  await page.locator('#q-ort-lat').fill('');
  await page.locator('#q-ort-lon').fill('');
  await page.locator('#q-ort-pick > summary').click();
  await page.waitForFunction(() => document.querySelectorAll('.qn-map[data-pick] path[fill="#7a2e00"]').length === 0);

  // By keyboard: Tab to the address field, type, Enter (the form does not move on).
  const field = page.getByLabel('Oder eine Adresse in der Nähe');
  await field.focus();
  await page.keyboard.type('Domkloster 4');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /nicht im Gebiet der Umfrage/.test(document.getElementById('q-ort-found').textContent));
  assert.equal(await page.inputValue('#q-ort-lat'), '', 'a house outside the survey sets nothing');
  assert.equal(await page.locator('section[data-section="3"]').isVisible(), true, 'Enter stayed on the part');
  await field.fill('Ostheimer Straße 99');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /kennen wir nicht/.test(document.getElementById('q-ort-found').textContent));
  await field.fill('Ostheimer Str. 12, 51107 Köln');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /^Gefunden, der Ort ist gesetzt: .*Kalk/.test(document.getElementById('q-ort-found').textContent));
  assert.equal(Number(await page.inputValue('#q-ort-lat')).toFixed(5), Number(house.lat).toFixed(5));
  assert.equal(Number(await page.inputValue('#q-ort-lon')).toFixed(5), Number(house.lon).toFixed(5));
  // The map shows the point where the address is: one marker, moved to the map's middle.
  await page.waitForFunction(() => {
    const paths = [...document.querySelectorAll('.qn-map[data-pick] path[fill="#7a2e00"]')];
    if (paths.length !== 1) return false;
    const m = document.querySelector('.qn-map[data-pick]').getBoundingClientRect();
    const r = paths[0].getBoundingClientRect();
    return Math.abs(r.x + r.width / 2 - (m.x + m.width / 2)) < 3 && Math.abs(r.y + r.height / 2 - (m.y + m.height / 2)) < 3;
  }, null, { timeout: 5_000 });
  await page.getByRole('button', { name: 'Weiter' }).click();
  await page.waitForSelector('section[data-final]:not([hidden])');
  await Promise.all([page.waitForURL(/\/danke/), page.getByRole('button', { name: 'Antworten absenden' }).click()]);
  assert.equal(await responseCount(), before + 1);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a planner saves survey results as an indicator and is told what happened', async () => {
  const { page, errors, context } = await openPage(env.browser, PHONE);
  await signIn(page, env.base, 'planung@koeln.demo');
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await page.locator('a[href="/kommune/koeln"]').first().click();
  await page.waitForURL(/\/kommune\/koeln$/);
  await page.locator('a.button-link[href="/kommune/koeln/umfragen"]').click();
  await page.waitForURL(/\/umfragen$/);
  await page.locator('a[href="/umfrage/1/ergebnisse"]').first().click();
  await page.waitForURL(/\/umfrage\/1\/ergebnisse$/);
  const form = page.locator('details.to-indicator').filter({ has: page.locator('input[name="frage"][value="sicher"]') });
  await form.locator('summary').click();
  await form.getByLabel('eher unsicher').check();
  await form.getByLabel('sehr unsicher').check();
  await form.getByLabel('Name des Indikators').fill('Fühlt sich abends unsicher (Umfrage Kalk)');
  await Promise.all([page.waitForURL(/\/indikator\/\d+\?hinweis=aus-umfrage$/), form.getByRole('button', { name: 'Werte speichern' }).click()]);
  const notice = page.getByRole('status').filter({ hasText: 'Die Umfrageergebnisse sind als Indikator gespeichert.' });
  assert.equal(await notice.count(), 1);
  assert.match(await page.textContent('h1'), /Fühlt sich abends unsicher/);
  assert.deepEqual(errors, []);
  await context.close();
});
