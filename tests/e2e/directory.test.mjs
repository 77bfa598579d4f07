// The directory in a real browser: a provider registers, enters an organisation (its place
// picked on the map) and an offer; the moderator approves both; a resident finds the offer by a
// misspelt word and a language facet, and it is on its Quartier's map. Starts its own server on
// a fresh SQLite database with the demo data.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { useServerAndBrowser, openPage, signIn, registerAndConfirm } from './harness.mjs';

const env = useServerAndBrowser(before, after);

async function submit(page, button, notice) {
  await Promise.all([page.waitForURL(new RegExp(`hinweis=${notice}`)), button.click()]);
}

test('provider enters, moderator approves, resident finds it on the search and the Quartier map', async () => {
  // 1. A provider registers with the plain form.
  const p = await openPage(env.browser);
  const email = `verein-${Date.now()}@example.org`;
  await registerAndConfirm(p.page, env.server, { name: 'Nachbarschaftsverein Kalk', email, tenant: 'koeln' });

  // 2. The organisation, its place clicked on the map.
  await p.page.goto(`${env.base}/kommune/koeln/anbieten`);
  await p.page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 60_000 });
  await p.page.getByLabel('Name der Organisation').fill('Nachbarschaftsverein Kalk (E2E)');
  await p.page.getByLabel('Art', { exact: true }).selectOption('verein');
  await p.page.locator('#beschreibung').fill('Treffpunkt für alle Nachbarinnen und Nachbarn.');
  await p.page.locator('.qn-map').scrollIntoViewIfNeeded();
  const box = await p.page.locator('.qn-map').boundingBox();
  await p.page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
  assert.match(await p.page.inputValue('#lat'), /^5\d\.\d{6}$/, 'the click filled the latitude');
  await submit(p.page, p.page.getByRole('button', { name: 'Zur Prüfung einreichen' }), 'wartet');
  const actorId = Number(p.page.url().match(/\/akteur\/(\d+)/)[1]);
  assert.match(await p.page.textContent('main'), /Die Moderation prüft ihn/);

  // 3. The offer.
  await p.page.getByRole('link', { name: 'Neues Angebot' }).click();
  await p.page.waitForURL(/\/angebot-neu$/);
  await p.page.getByLabel('Titel des Angebots').fill('Sprachcafé Nachbarschaft');
  await p.page.locator('#beschreibung').fill('Deutsch sprechen üben bei Tee und Gebäck.');
  await p.page.getByRole('group', { name: 'Kategorien' }).getByLabel('Sprachkurse').check();
  await p.page.getByRole('group', { name: 'Für wen' }).getByLabel('Menschen mit Einwanderungsgeschichte').check();
  await p.page.getByRole('group', { name: 'Sprachen' }).getByLabel('Arabisch').check();
  await p.page.getByLabel('Zeiten').fill('Di 17:00-19:00');
  await submit(p.page, p.page.getByRole('button', { name: 'Speichern' }), 'wartet');
  const offerId = Number(p.page.url().match(/\/angebot\/(\d+)/)[1]);

  // Not public yet.
  const resident = await openPage(env.browser, { viewport: { width: 360, height: 740 } });
  await resident.page.goto(`${env.base}/kommune/koeln/angebote?q=Sprachcaf%C3%A9`);
  assert.doesNotMatch(await resident.page.textContent('main'), /Sprachcafé Nachbarschaft/);

  // 4. The moderator approves both.
  const m = await openPage(env.browser);
  await signIn(m.page, env.base, 'moderation@koeln.demo');
  await m.page.goto(`${env.base}/kommune/koeln/angebote/pruefen`);
  for (const name of ['Nachbarschaftsverein Kalk (E2E)', 'Sprachcafé Nachbarschaft']) {
    const card = m.page.locator('li.card').filter({ has: m.page.getByRole('heading', { name, exact: true }) });
    await submit(m.page, card.getByRole('button', { name: 'Freigeben' }), 'freigegeben');
  }

  // 5. A resident on a phone: a misspelt word, then a language facet.
  await resident.page.goto(`${env.base}/kommune/koeln/angebote`);
  await resident.page.getByLabel('Suchbegriff').fill('Sprachcafe Nachbarschft');
  await Promise.all([resident.page.waitForURL(/q=Sprachcafe/), resident.page.getByRole('button', { name: 'Suchen' }).click()]);
  const results = resident.page.locator('section.results');
  assert.match(await results.textContent(), /Sprachcafé Nachbarschaft/);
  // On a phone the filters are folded away below the search: the resident opens them.
  await resident.page.locator('details.filters > summary').click();
  await resident.page.getByRole('group', { name: 'Sprache' }).getByLabel(/Arabisch/).check();
  await Promise.all([resident.page.waitForURL(/sprache=ar/), resident.page.getByRole('button', { name: 'Anzeigen' }).click()]);
  assert.match(await results.textContent(), /Sprachcafé Nachbarschaft/);
  await resident.page.getByRole('link', { name: 'Sprachcafé Nachbarschaft' }).click();
  await resident.page.waitForURL(new RegExp(`/angebot/${offerId}$`));
  assert.equal(await resident.page.textContent('h1'), 'Sprachcafé Nachbarschaft');
  const ld = JSON.parse(await resident.page.textContent('script[type="application/ld+json"]'));
  assert.equal(ld['@type'], 'Service');
  assert.equal(ld.provider.name, 'Nachbarschaftsverein Kalk (E2E)');

  // 6. Its Quartier (the finest area it lies in) lists it and shows it on the map.
  const areaLinks = resident.page.locator('p', { hasText: 'Liegt in' }).getByRole('link');
  await areaLinks.last().click();
  await resident.page.waitForURL(/\/quartier\/\d+$/);
  const areaId = Number(resident.page.url().match(/\/quartier\/(\d+)$/)[1]);
  assert.match(await resident.page.locator('section[aria-labelledby="angebote"]').textContent(), /Sprachcafé Nachbarschaft/);
  await resident.page.waitForSelector('.qn-map[data-state="ready"]', { timeout: 30_000 });
  assert.ok(Number(await resident.page.getAttribute('.qn-map', 'data-points-count')) >= 1);
  const points = await (await fetch(`${env.base}/api/v1/areas/${areaId}/offers.geojson`)).json();
  assert.ok(points.features.some((f) => f.properties.title === 'Sprachcafé Nachbarschaft'), 'on the Quartier map');
  assert.ok(actorId > 0);

  for (const v of [p, m, resident]) {
    assert.deepEqual(v.errors, []);
    await v.context.close();
  }
});

test('a planner keeps the address register; a provider then gives only the address, on a phone', async () => {
  const phone = { viewport: { width: 360, height: 740 } };
  // The planner arrives on the start page and clicks through to the register.
  const pl = await openPage(env.browser, phone);
  await signIn(pl.page, env.base, 'planung@koeln.demo');
  await pl.page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await Promise.all([pl.page.waitForURL(/\/kommune\/koeln$/), pl.page.locator('a[href="/kommune/koeln"]').first().click()]);
  await Promise.all([pl.page.waitForURL(/\/kommune\/koeln\/angebote$/), pl.page.locator('a.button-link[href="/kommune/koeln/angebote"]').click()]);
  await Promise.all([pl.page.waitForURL(/\/angebote\/adressen$/), pl.page.getByRole('link', { name: 'Adressverzeichnis' }).click()]);
  await pl.page.getByText('Noch kein Adressverzeichnis').waitFor();
  // A broken row: nothing is stored and the row is named.
  const file = (rows) => ({ name: 'hauskoordinaten.csv', mimeType: 'text/csv', buffer: Buffer.from(`strasse;hausnummer;plz;ort;lon;lat\n${rows}`) });
  await pl.page.getByLabel('Datei (CSV oder GeoJSON)').setInputFiles(file('Kalker Hauptstraße;120;51103;Köln;6.9990;50.9375\nKalker Hauptstraße;;51103;Köln;6.9992;50.9376\n'));
  await Promise.all([pl.page.waitForURL(/fehler=VALIDATION/), pl.page.getByRole('button', { name: 'Hochladen und ersetzen' }).click()]);
  assert.match(await pl.page.locator('[role="alert"]').textContent(), /Zeile 3: „“ ist keine Hausnummer/);
  await pl.page.getByLabel('Datei (CSV oder GeoJSON)').setInputFiles(file('Kalker Hauptstraße;120;51103;Köln;6.9990;50.9375\nDomkloster;4;50667;Köln;6.9583;50.9413\n'));
  await Promise.all([pl.page.waitForURL(/hinweis=gespeichert/), pl.page.getByRole('button', { name: 'Hochladen und ersetzen' }).click()]);
  assert.match(await pl.page.textContent('main'), /Adressen im Verzeichnis: 2/);
  // Trying an address shows its point and Quartier.
  await pl.page.getByLabel('Adresse', { exact: true }).fill('Kalker Hauptstr. 120, 51103 Köln');
  await Promise.all([pl.page.waitForURL(/adresse=/), pl.page.getByRole('button', { name: 'Prüfen' }).click()]);
  const result = pl.page.locator('#adresse-ergebnis');
  await result.waitFor();
  assert.match(await result.textContent(), /Gefunden: Kalker Hauptstr\. 120, 51103 Köln \(50\.93750, 6\.99900\) liegt in .*Kalk/);

  // A provider enters an organisation by its address alone, no tap on the map.
  const p = await openPage(env.browser, phone);
  await registerAndConfirm(p.page, env.server, { name: 'Treff Kalk', email: `treff-${Date.now()}@example.org`, tenant: 'koeln' });
  await p.page.goto(`${env.base}/kommune/koeln/angebote`);
  await p.page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
  await Promise.all([p.page.waitForURL(/\/anbieten$/), p.page.getByRole('link', { name: 'Eigene Angebote eintragen' }).click()]);
  await p.page.getByLabel('Name der Organisation').waitFor();
  await p.page.getByLabel('Name der Organisation').fill('Nachbarschaftstreff Kalker Hauptstraße (E2E)');
  await p.page.getByLabel('Art', { exact: true }).selectOption('verein');
  await p.page.getByLabel('Straße und Hausnummer').fill('Kalker Hauptstraße 120');
  await p.page.getByLabel('Postleitzahl').fill('51103');
  assert.equal(await p.page.inputValue('#lat'), '', 'no point set');
  // Before saving, the provider sees where the address lies.
  await p.page.getByRole('button', { name: 'Auf der Karte zeigen' }).click();
  await p.page.waitForFunction(() => /^Gefunden, der Punkt ist gesetzt\. Liegt in: .*Kalk/.test(document.getElementById('ort-gefunden').textContent));
  assert.equal(await p.page.inputValue('#lat'), '50.937500');
  assert.equal(await p.page.inputValue('#lon'), '6.999000');
  await submit(p.page, p.page.getByRole('button', { name: 'Zur Prüfung einreichen' }), 'wartet');
  assert.match(await p.page.locator('p', { hasText: 'Liegt in' }).textContent(), /Kalk/);
  // The moderator's card shows the point and the Quartier before approving.
  const m = await openPage(env.browser, phone);
  await signIn(m.page, env.base, 'moderation@koeln.demo');
  await m.page.goto(`${env.base}/kommune/koeln/angebote/pruefen`);
  const card = m.page.locator('li.card').filter({ has: m.page.getByRole('heading', { name: 'Nachbarschaftstreff Kalker Hauptstraße (E2E)' }) });
  assert.match(await card.textContent(), /Ort \(Breite, Länge\): 50\.93750, 6\.99900 · Liegt in: .*Kalk/);
  for (const v of [pl, p, m]) {
    assert.deepEqual(v.errors, []);
    await v.context.close();
  }
});
