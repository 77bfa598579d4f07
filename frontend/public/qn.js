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

  function draw(el) {
    if (el.getAttribute('data-state')) return;
    el.setAttribute('data-state', 'loading');
    var highlight = el.getAttribute('data-highlight');
    Promise.all([loadLeaflet(), fetch(el.getAttribute('data-geojson'), { credentials: 'same-origin' }).then(function (r) {
      if (!r.ok) throw new Error('HTTP ' + r.status);
      return r.json();
    })]).then(function (res) {
      var L = res[0], fc = res[1];
      var tiles = el.getAttribute('data-tiles');
      var map = L.map(el, { zoomSnap: 0.25, attributionControl: !!tiles });
      if (tiles) {
        L.tileLayer(tiles, { maxZoom: 19, attribution: el.getAttribute('data-attribution') || '' }).addTo(map);
      }
      var focus = null;
      var layer = L.geoJSON(fc, {
        style: function (f) { return String(f.properties.id) === highlight ? HIGHLIGHT : STYLE; },
        onEachFeature: function (f, l) {
          // Names come from imported files: as text, never as HTML.
          var label = document.createElement('span');
          label.textContent = f.properties.name;
          l.bindTooltip(label, { sticky: true });
          l.on('click', function () { window.location.href = '/quartier/' + f.properties.id; });
          if (String(f.properties.id) === highlight) focus = l;
        }
      }).addTo(map);
      var bounds = focus ? focus.getBounds() : layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] });
      if (focus) focus.bringToFront();
      el.setAttribute('data-state', 'ready');
      el.setAttribute('data-count', String(fc.features.length));
    }).catch(function (e) {
      el.setAttribute('data-state', 'error');
      el.textContent = 'Die Karte konnte nicht geladen werden. Die Liste enthält alle Gebiete.';
      if (window.console) console.warn('map', e);
    });
  }

  function scan() {
    var maps = document.querySelectorAll('.qn-map[data-geojson]');
    for (var i = 0; i < maps.length; i++) draw(maps[i]);
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', scan); else scan();
  // Pages changed by client-side navigation after hydration get their maps too.
  new MutationObserver(scan).observe(document.documentElement, { childList: true, subtree: true });
})();
