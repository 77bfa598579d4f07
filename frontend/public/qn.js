// Quartiersnetz: progressive enhancement that needs no wasm. Registers the service worker and
// draws area maps (Leaflet, loaded only on pages that have a map).
(function () {
  'use strict';
  // After logout, nothing of the signed-in session stays in this browser's caches.
  if (/[?&]hinweis=abgemeldet/.test(window.location.search) && window.caches) {
    caches.keys().then(function (keys) { keys.forEach(function (k) { caches.delete(k); }); });
  }
  if ('serviceWorker' in navigator) {
    window.addEventListener('load', function () {
      navigator.serviceWorker.register('/sw.js').catch(function () {});
    });
  }

  var leaflet = null;
  function loadLeaflet() {
    if (leaflet) return leaflet;
    leaflet = new Promise(function (resolve, reject) {
      if (window.L) return resolve(window.L);
      var css = document.createElement('link');
      css.rel = 'stylesheet';
      css.href = '/leaflet/leaflet.css';
      document.head.appendChild(css);
      var s = document.createElement('script');
      s.src = '/leaflet/leaflet.js';
      s.onload = function () { resolve(window.L); };
      s.onerror = reject;
      document.head.appendChild(s);
    });
    return leaflet;
  }

  var STYLE = { color: '#1d4f91', weight: 1.5, fillColor: '#6a9fd8', fillOpacity: 0.25 };
  var HIGHLIGHT = { color: '#7a2e00', weight: 3, fillColor: '#e66100', fillOpacity: 0.55 };
  // Areas a survey does not ask about: drawn for orientation, greyed out.
  var OUTSIDE = { color: '#767676', weight: 1, fillColor: '#bdbdbd', fillOpacity: 0.35 };

  // Choropleths carry their colours in the data; areas without data and suppressed areas get a
  // dashed outline besides their fill, so they are not told apart by colour alone.
  function choroplethStyle(f) {
    var p = f.properties;
    var s = { color: '#333333', weight: 1, fillColor: p.fill || '#ffffff', fillOpacity: 0.85 };
    if (p.status === 'no_data') { s.dashArray = '6 4'; s.fillOpacity = 0.6; }
    if (p.status === 'suppressed') { s.dashArray = '2 3'; }
    return s;
  }

  var POINT = { radius: 7, color: '#ffffff', weight: 2, fillColor: '#7a2e00', fillOpacity: 0.9 };
  // Offers of the directory: another colour and shape size than board posts.
  var OFFER = { radius: 6, color: '#ffffff', weight: 2, fillColor: '#00506e', fillOpacity: 0.95 };

  // A click on the map fills the form's latitude and longitude fields (which can also be typed).
  // On a survey's map only a click inside its areas counts (`inside` says whether the click hit
  // one); another is refused at the question, in the survey's language, and sets nothing.
  function pickPoint(L, map, form, chosen, inside, el) {
    var lat = form.querySelector('[data-pick-lat]'), lon = form.querySelector('[data-pick-lon]');
    if (!lat || !lon) return;
    var note = el.getAttribute('data-outside-note') && document.getElementById(el.getAttribute('data-outside-note'));
    function mark(ll) { if (chosen) chosen.setLatLng(ll); else chosen = L.circleMarker(ll, POINT).addTo(map); }
    var clicked = false;
    map.on('click', function (e) {
      var ok = inside ? inside() : true;
      if (note) note.hidden = ok;
      if (!ok) return;
      lat.value = e.latlng.lat.toFixed(6);
      lon.value = e.latlng.lng.toFixed(6);
      mark(e.latlng);
      clicked = true;
      lat.dispatchEvent(new Event('change', { bubbles: true }));
      clicked = false;
    });
    // Typed coordinates, or a found address, show on the map too: the keyboard's way to a point.
    function typed() {
      if (clicked) return;
      if (!lat.value.trim() && !lon.value.trim()) {
        // Both emptied: no point any more.
        if (chosen) { chosen.remove(); chosen = null; }
        return;
      }
      var la = parseFloat(lat.value.replace(',', '.')), lo = parseFloat(lon.value.replace(',', '.'));
      if (!isFinite(la) || !isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) return;
      var ll = L.latLng(la, lo);
      mark(ll);
      map.panTo(ll);
    }
    lat.addEventListener('change', typed);
    lon.addEventListener('change', typed);
  }

  // Maps are drawn a few shapes at a time, with a frame between: on an old phone, 86 areas at
  // once kept the page from answering a tap for about half a second.
  var BATCH = 12;
  function nextFrame() {
    return new Promise(function (resolve) {
      (window.requestAnimationFrame || setTimeout)(function () { setTimeout(resolve, 0); });
    });
  }
  function addInBatches(group, features, from) {
    if (from >= features.length) return Promise.resolve(group);
    group.addData(features.slice(from, from + BATCH));
    return nextFrame().then(function () { return addInBatches(group, features, from + BATCH); });
  }
  // The bounds of features from their coordinates, before any of them is drawn.
  function boundsOf(L, features) {
    var b = L.latLngBounds([]);
    function walk(c) {
      if (typeof c[0] === 'number') b.extend([c[1], c[0]]);
      else for (var i = 0; i < c.length; i++) walk(c[i]);
    }
    features.forEach(function (f) { if (f.geometry) walk(f.geometry.coordinates); });
    return b;
  }

  function draw(el) {
    if (el.getAttribute('data-state')) return;
    // A map in a hidden part (a survey section not yet shown) is drawn when it is shown.
    if (el.getClientRects().length === 0) return;
    el.setAttribute('data-state', 'loading');
    var highlight = el.getAttribute('data-highlight');
    Promise.all([loadLeaflet(), fetch(el.getAttribute('data-geojson'), { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    })]).then(function (res) {
      var L = res[0], fc = res[1];
      var tiles = el.getAttribute('data-tiles');
      var texts = document.getElementById('qn-map-texts');
      function text(name) { return (texts && texts.getAttribute('data-' + name)) || ''; }
      // On touch screens one finger scrolls the page and two move the map (pinch pans and
      // zooms), so a swipe over a map no longer traps the reader.
      var touch = L.Browser.touch && L.Browser.mobile;
      var map = L.map(el, { zoomSnap: 0.25, attributionControl: !!tiles, zoomControl: false, dragging: !touch, tap: false });
      L.control.zoom({ zoomInTitle: text('zoom-in'), zoomOutTitle: text('zoom-out') }).addTo(map);
      if (touch) el.setAttribute('data-touch', text('two-fingers'));
      if (tiles) {
        L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute('data-attribution') || '' }).addTo(map);
      }
      var focus = null;
      var pick = el.getAttribute('data-pick') && document.getElementById(el.getAttribute('data-pick'));
      // A survey's "your Quartier": a click on an area chooses it in the list beside the map.
      var pickArea = el.getAttribute('data-pick-area') && document.getElementById(el.getAttribute('data-pick-area'));
      var choropleth = el.hasAttribute('data-choropleth');
      // A survey's point question: its target areas (none listed: every area of the map).
      var targets = (el.getAttribute('data-targets') || '').split(/\s+/).filter(Boolean);
      function isTarget(f) { return !targets.length || targets.indexOf(String(f.properties.id)) >= 0; }
      var hit = false;
      function areaStyle(f) {
        if (choropleth) return choroplethStyle(f);
        if (pick) return isTarget(f) ? HIGHLIGHT : OUTSIDE;
        var chosen = pickArea ? pickArea.value : highlight;
        return String(f.properties.id) === chosen ? HIGHLIGHT : STYLE;
      }
      // The view first (from the coordinates), then the areas a batch at a time.
      var ids = pickArea ? [].map.call(pickArea.options, function (o) { return o.value; }) : [];
      var subset = fc.features.filter(function (f) {
        // Open on the survey's areas, or the ones to choose from, or the highlighted one.
        var id = String(f.properties.id);
        if (pick && targets.length) return isTarget(f);
        if (pickArea) return ids.indexOf(id) >= 0;
        return !!highlight && id === highlight;
      });
      var bounds = boundsOf(L, subset.length ? subset : fc.features);
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
      var layer = L.geoJSON(null, {
        style: areaStyle,
        onEachFeature: function (f, l) {
          // Names come from imported files: as text, never as HTML.
          var label = document.createElement('span');
          label.textContent = f.properties.label ? f.properties.name + ': ' + f.properties.label : f.properties.name;
          l.bindTooltip(label, { sticky: true });
          // While a form picks a point, a click places it instead of opening the area.
          if (pickArea) {
            l.on('click', function () {
              var id = String(f.properties.id);
              for (var i = 0; i < pickArea.options.length; i++) {
                if (pickArea.options[i].value === id) {
                  pickArea.value = id;
                  pickArea.dispatchEvent(new Event('change', { bubbles: true }));
                }
              }
            });
          } else if (pick) {
            // Runs before the map's own click handler, which reads it.
            l.on('click', function () { hit = isTarget(f); });
          } else {
            l.on('click', function () { window.location.href = '/quartier/' + f.properties.id; });
          }
          if (String(f.properties.id) === highlight) focus = l;
        }
      }).addTo(map);
      return addInBatches(layer, fc.features, 0).then(function () {
        // Names on the map, so it reads without a base map: every area whose centre is in view,
        // when they are few enough to stay legible.
        var view = map.getBounds(), inView = [];
        layer.eachLayer(function (l) { if (view.contains(l.getBounds().getCenter())) inView.push(l); });
        // (Markers, not permanent tooltips: a tooltip measures itself, and 25 of them laid the
        // page out 25 times.)
        if (inView.length <= 25) {
          inView.forEach(function (l) {
            var name = document.createElement('span');
            name.textContent = l.feature.properties.name;
            L.marker(l.getBounds().getCenter(), {
              icon: L.divIcon({ className: 'qn-area-label', html: name, iconSize: null }),
              interactive: false, keyboard: false
            }).addTo(map);
          });
        }
        // A printout is narrower than the screen: fit the same areas into the printed map.
        window.addEventListener('beforeprint', function () {
          map.invalidateSize();
          if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8], animate: false });
        });
        // The list beside the map is the keyboard path: areas are not Tab stops. (The paths exist
        // only once the map has a view.)
        layer.eachLayer(function (l) { var e = l.getElement && l.getElement(); if (e) e.setAttribute('tabindex', '-1'); });
        if (focus) focus.bringToFront();
        var marker = el.getAttribute('data-marker'), markerLayer = null;
        if (marker) {
          var ll = marker.split(',').map(Number);
          markerLayer = L.circleMarker(ll, POINT).addTo(map);
          // A single place (an offer, a search's "near"): show its surroundings, not the city.
          if (!highlight && !pickArea) map.setView(ll, 15);
        }
        if (pick) pickPoint(L, map, pick, markerLayer, function () { var h = hit; hit = false; return h; }, el);
        if (pickArea) pickArea.addEventListener('change', function () { layer.setStyle(areaStyle); });
        el.setAttribute('data-count', String(fc.features.length));
        var points = el.getAttribute('data-points');
        if (!points) { el.setAttribute('data-state', 'ready'); return; }
        // Several point layers (board posts, offers), space-separated; each feature names its page.
        var urls = points.split(/\s+/).filter(Boolean);
        var kinds = {};
        return Promise.all(urls.map(function (u) {
          return fetch(u, { credentials: 'same-origin' }).then(function (r) {
            if (!r.ok) throw new Error('HTTP ' + r.status);
            return r.json();
          });
        })).then(function (layers) {
          var count = 0;
          return layers.reduce(function (done, pc) {
            return done.then(function () {
              var group = L.geoJSON(null, {
                pointToLayer: function (f, ll) {
                  kinds[f.properties.kind === 'angebot' ? 'offer' : 'post'] = true;
                  return L.circleMarker(ll, f.properties.kind === 'angebot' ? OFFER : POINT);
                },
                onEachFeature: function (f, l) {
                  // Titles are typed by people: as text, never as HTML.
                  var label = document.createElement('span');
                  label.textContent = f.properties.title;
                  l.bindTooltip(label);
                  l.on('click', function () { window.location.href = f.properties.url || ('/beitrag/' + f.id); });
                }
              }).addTo(map);
              count += pc.features.length;
              return addInBatches(group, pc.features, 0).then(function () {
                group.eachLayer(function (l) {
                  var e = l.getElement && l.getElement();
                  if (e) e.setAttribute('tabindex', '-1');
                });
              });
            });
          }, Promise.resolve()).then(function () {
            el.setAttribute('data-points-count', String(count));
            legend(L, map, kinds, !!markerLayer, text);
            el.setAttribute('data-state', 'ready');
          });
        });
      });
    }).catch(function (e) {
      el.setAttribute('data-state', 'error');
      el.textContent = 'Die Karte konnte nicht geladen werden. Die Liste enthält alle Gebiete.';
      if (window.console) console.warn('map', e);
    });
  }

  // What the dots mean, as text beside a coloured dot (not by colour alone).
  function legend(L, map, kinds, place, text) {
    var rows = [];
    if (kinds.post) rows.push(['post', POINT.fillColor]);
    if (kinds.offer) rows.push(['offer', OFFER.fillColor]);
    if (place && !kinds.post) rows.push(['place', POINT.fillColor]);
    if (!rows.length) return;
    var control = L.control({ position: 'bottomleft' });
    control.onAdd = function () {
      var box = L.DomUtil.create('div', 'map-legend');
      box.setAttribute('role', 'group');
      box.setAttribute('aria-label', text('legend'));
      rows.forEach(function (r) {
        var row = L.DomUtil.create('span', 'map-legend-row', box);
        var dot = L.DomUtil.create('span', 'map-legend-dot', row);
        dot.style.backgroundColor = r[1];
        row.appendChild(document.createTextNode(text('legend-' + r[0])));
      });
      return box;
    };
    control.addTo(map);
  }

  // The time slider of a map form: shown only with JavaScript, it moves the date select (which
  // works without it) and submits the form.
  function slider(box) {
    if (box.getAttribute('data-ready')) return;
    box.setAttribute('data-ready', '1');
    var select = document.getElementById(box.getAttribute('data-slider-for'));
    var range = box.querySelector('input[type=range]');
    if (!select || !range) return;
    box.hidden = false;
    function text() { range.setAttribute('aria-valuetext', select.options[range.value] ? select.options[range.value].text : ''); }
    text();
    range.addEventListener('input', function () { select.selectedIndex = Number(range.value); text(); });
    range.addEventListener('change', function () { if (select.form) select.form.submit(); });
  }

  // "Near me" in the offer search: the browser's position fills the two coordinate fields.
  function locate(button) {
    if (button.getAttribute('data-ready') || !navigator.geolocation) return;
    button.setAttribute('data-ready', '1');
    button.hidden = false;
    var box = button.closest('[data-near]');
    button.addEventListener('click', function () {
      navigator.geolocation.getCurrentPosition(function (p) {
        box.querySelector('[data-locate-lat]').value = p.coords.latitude.toFixed(5);
        box.querySelector('[data-locate-lon]').value = p.coords.longitude.toFixed(5);
        var order = document.getElementById('sortierung');
        if (order) order.value = 'entfernung';
        if (button.form) button.form.submit();
      });
    });
  }

  // "Auf der Karte zeigen": a typed address is looked up in the Kommune's address register;
  // its house fills the form's latitude and longitude (the map's marker follows) and the page
  // says where it lies before anything is saved. Without JavaScript the server looks the
  // address up when the form is sent. Enter in an address field looks it up too.
  function findAddress(button) {
    if (button.getAttribute('data-ready') || !window.fetch) return;
    button.setAttribute('data-ready', '1');
    button.hidden = false;
    var box = document.getElementById(button.getAttribute('data-into'));
    var fields = (button.getAttribute('data-from') || '').split(/\s+/).map(function (id) { return document.getElementById(id); }).filter(Boolean);
    var status = document.getElementById(button.getAttribute('data-status'));
    var targets = (button.getAttribute('data-targets') || '').split(/\s+/).filter(Boolean);
    function say(text) { if (status) { status.hidden = false; status.textContent = text; } }
    function msg(code) { return button.getAttribute('data-msg-' + code.toLowerCase()) || button.getAttribute('data-msg-failed') || ''; }
    function run() {
      var typed = fields.map(function (f) { return f.value.trim(); }).filter(Boolean).join(', ');
      if (!typed || !box) return;
      say(button.getAttribute('data-wait') || '');
      fetch('/graphql', {
        method: 'POST', credentials: 'same-origin',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'query($t: String!, $a: String!) { locateAddress(tenant: $t, address: $a) { lon lat areas { id name } } }',
          variables: { t: button.getAttribute('data-find-address'), a: typed },
        }),
      }).then(function (r) { return r.json(); }).then(function (d) {
        var err = d.errors && d.errors[0];
        if (err) return say(msg((err.extensions && err.extensions.code) || 'failed'));
        var found = d.data && d.data.locateAddress;
        if (!found) return say(msg('no_address_register'));
        var ids = found.areas.map(function (a) { return String(a.id); });
        if (targets.length && !ids.some(function (id) { return targets.indexOf(id) >= 0; })) return say(msg('unknown_area'));
        var lat = box.querySelector('[data-pick-lat]'), lon = box.querySelector('[data-pick-lon]');
        lat.value = found.lat.toFixed(6);
        lon.value = found.lon.toFixed(6);
        lat.dispatchEvent(new Event('change', { bubbles: true }));
        var names = found.areas.map(function (a) { return a.name; }).join(' · ');
        say((button.getAttribute('data-found') || '{}').replace('{}', names));
      }, function () { say(msg('failed')); });
    }
    button.addEventListener('click', run);
    fields.forEach(function (f) {
      f.addEventListener('keydown', function (e) {
        if (e.key === 'Enter') { e.preventDefault(); run(); }
      });
    });
  }

  // "Mein Quartier finden": the browser's position, asked only on this click, leads to the
  // finest area of this Kommune that contains it. The position is sent to this server only.
  function findArea(button) {
    if (button.getAttribute('data-ready') || !navigator.geolocation || !window.fetch) return;
    button.setAttribute('data-ready', '1');
    button.hidden = false;
    var status = document.getElementById(button.getAttribute('data-status'));
    function say(name) { if (status) status.textContent = button.getAttribute('data-' + name) || ''; }
    button.addEventListener('click', function () {
      say('wait');
      navigator.geolocation.getCurrentPosition(function (p) {
        fetch('/graphql', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            query: 'query($lon: Float!, $lat: Float!) { areaAt(lon: $lon, lat: $lat) { id tenant { slug } } }',
            variables: { lon: p.coords.longitude, lat: p.coords.latitude },
          }),
        }).then(function (r) { return r.json(); }).then(function (d) {
          var slug = button.getAttribute('data-find-area');
          var list = ((d.data && d.data.areaAt) || []).filter(function (a) { return a.tenant && a.tenant.slug === slug; });
          if (!list.length) return say('outside');
          window.location.href = '/quartier/' + list[list.length - 1].id;
        }, function () { say('failed'); });
      }, function () { say('denied'); }, { timeout: 15000, maximumAge: 60000 });
    });
  }

  // Filter panels that stay closed on phones (results first) open on wide screens.
  var WIDE = window.matchMedia ? window.matchMedia('(min-width: 48em)') : null;
  function openWide(details) {
    if (details.getAttribute('data-ready')) return;
    details.setAttribute('data-ready', '1');
    if (WIDE && WIDE.matches) details.open = true;
  }

  function scan() {
    var finders = document.querySelectorAll('button[data-find-area]');
    for (var f = 0; f < finders.length; f++) findArea(finders[f]);
    var wide = document.querySelectorAll('details[data-open-wide]');
    for (var w = 0; w < wide.length; w++) openWide(wide[w]);
    var addressFinders = document.querySelectorAll('button[data-find-address]');
    for (var a = 0; a < addressFinders.length; a++) findAddress(addressFinders[a]);
    var locators = document.querySelectorAll('button[data-locate]');
    for (var l = 0; l < locators.length; l++) locate(locators[l]);
    var maps = document.querySelectorAll('.qn-map[data-geojson]');
    for (var i = 0; i < maps.length; i++) draw(maps[i]);
    var sliders = document.querySelectorAll('[data-slider-for]');
    for (var j = 0; j < sliders.length; j++) slider(sliders[j]);
    var stamps = document.querySelectorAll('[data-print-date]');
    if (stamps.length) {
      window.addEventListener('beforeprint', function () {
        var today = new Date().toLocaleDateString(document.documentElement.lang || 'de');
        for (var d = 0; d < stamps.length; d++) stamps[d].textContent = today;
      });
    }
    var prints = document.querySelectorAll('button[data-print][hidden]');
    for (var k = 0; k < prints.length; k++) {
      prints[k].hidden = false;
      prints[k].addEventListener('click', function () { window.print(); });
    }
  }
  // A survey's question page names the survey checks' module (the only wasm any page loads):
  // the same domain rules as the server's, run on the form as it is filled in.
  function surveyChecks() {
    var form = document.querySelector('form.survey-form[data-survey][data-bundle]');
    if (!form || form.hasAttribute('data-loading')) return;
    form.setAttribute('data-loading', '');
    var bundle = form.getAttribute('data-bundle');
    import(bundle).then(function (m) {
      return m.default({ module_or_path: bundle.replace(/\.js$/, '_bg.wasm') }).then(function () { m.enhance(); });
    }).catch(function () { /* the form still works without its checks */ });
  }
  function start() {
    scan();
    surveyChecks();
    // Lets browser tests (and style sheets) know the page's scripts are attached.
    document.documentElement.setAttribute('data-ready', 'true');
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();

  // Survey responses: the wasm checks the form with the server's rules and hands the response
  // over (event qn-survey-send); it is sent now, or kept in the outbox (/outbox.js) and sent
  // when the phone is online again.
  function surveyStatus(text, link) {
    var status = document.getElementById('senden-status');
    if (!status) return;
    status.hidden = false;
    status.textContent = text;
    if (link) {
      var a = document.createElement('a');
      a.href = link;
      a.textContent = ' ' + (status.getAttribute('data-sent-link') || '→');
      status.appendChild(a);
    }
  }
  function statusText(name) {
    var status = document.getElementById('senden-status');
    return status ? status.getAttribute('data-' + name) || '' : '';
  }
  function syncLater() {
    if ('serviceWorker' in navigator) {
      navigator.serviceWorker.ready.then(function (reg) {
        if (reg.sync) reg.sync.register('qn-outbox').catch(function () {});
      });
    }
  }
  // The server refused the response: answers that do not fit go back to the form (the wasm
  // shows each at its question, in the survey's language, with a link to it); anything else is
  // the page's own "could not be sent" text. The server's English wording is never shown.
  function refused(form, r) {
    var problems = (r.json && r.json.error && r.json.error.problems) || [];
    if (form && problems.length) {
      form.dispatchEvent(new CustomEvent('qn-survey-refused', { detail: JSON.stringify(problems) }));
    } else {
      surveyStatus(statusText('failed'));
    }
  }
  document.addEventListener('qn-survey-send', function (e) {
    if (typeof qnOutbox === 'undefined') return;
    var d = JSON.parse(e.detail);
    var item = { key: JSON.parse(d.body).key, url: d.url, body: d.body, thanks: d.thanks, draft: d.draft };
    var button = e.target.querySelector('[data-send]');
    if (button) button.disabled = true;
    function queue() {
      qnOutbox.put(item).then(function () {
        surveyStatus(statusText('saved'));
        syncLater();
      }, function () {
        if (button) button.disabled = false;
        surveyStatus(statusText('failed'));
      });
    }
    if (navigator.onLine === false) return queue();
    qnOutbox.post(item).then(function (r) {
      if (r.status === 200 || r.status === 201) {
        try { localStorage.removeItem(item.draft); } catch (x) { /* private mode */ }
        window.location.href = item.thanks;
      } else if (r.status === 429 || r.status >= 500) {
        queue();
      } else {
        if (button) button.disabled = false;
        refused(e.target, r);
      }
    }, queue);
  });
  // What left the outbox, sent by this page or by the service worker (whichever was first).
  function outboxSent(done) {
    done.forEach(function (x) {
      if (x.status === 200 || x.status === 201) {
        try { localStorage.removeItem(x.item.draft); } catch (e) { /* private mode */ }
        surveyStatus(statusText('sent'), x.item.thanks);
      } else {
        refused(document.querySelector('form.survey-form'), x);
      }
    });
  }
  function flushOutbox() {
    if (typeof qnOutbox === 'undefined' || !window.indexedDB) return;
    qnOutbox.flush().then(outboxSent).catch(function () {});
  }
  if ('serviceWorker' in navigator) {
    navigator.serviceWorker.addEventListener('message', function (e) {
      if (e.data && e.data.type === 'qn-outbox-sent') outboxSent(e.data.done);
    });
  }
  window.addEventListener('online', flushOutbox);
  // Shown parts (survey sections) announce themselves with a resize: draw their maps now.
  window.addEventListener('resize', scan);
  if (navigator.onLine !== false) window.addEventListener('load', flushOutbox);
})();
