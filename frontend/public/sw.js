const RELEASE = { version: 'dev', qn: '/qn.js', css: '/qn.css', outbox: '/outbox.js' };
// Quartiersnetz service worker: keeps the app shell on the phone, serves visited pages when the
// network is gone, and shows an offline page otherwise. The build (infra/site-assets.sh) writes
// the first line: the shell's hashed names and a version of the release. A new release is
// therefore a new worker: it precaches its shell and, once active, drops the previous caches;
// pages name the new files, so none of them is served an old copy.
importScripts(RELEASE.outbox);
const VERSION = 'qn-shell-' + RELEASE.version;
const SHELL = [
  '/offline.html', RELEASE.css, RELEASE.qn, RELEASE.outbox, '/manifest.webmanifest', '/favicon.ico',
  '/icons/icon.svg', '/icons/icon-192.png', '/leaflet/leaflet.js', '/leaflet/leaflet.css'
];
// Named by content (the shell and the survey checks): kept once fetched, never refreshed.
const HASHED = /^\/pkg\//;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(VERSION).then((c) => c.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k !== VERSION).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

// Survey responses kept on the phone are sent when the connection is back, even if the page
// that queued them is closed (Background Sync; pages also send them when they see "online").
self.addEventListener('sync', (event) => {
  if (event.tag !== 'qn-outbox') return;
  // The pages learn what was sent, so a page waiting for its response can say so.
  event.waitUntil(qnOutbox.flush().then((done) => {
    if (!done.length) return;
    return self.clients.matchAll({ type: 'window' })
      .then((clients) => clients.forEach((c) => c.postMessage({ type: 'qn-outbox-sent', done })));
  }));
});

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin) return;
  const url = new URL(req.url);
  if (url.pathname.startsWith('/graphql') || url.pathname.startsWith('/api/')) {
    // Data depends on who is signed in: never cached here.
    return;
  } else if (req.mode === 'navigate') {
    event.respondWith(networkFirst(req, '/offline.html'));
  } else if (HASHED.test(url.pathname)) {
    event.respondWith(caches.match(req).then((hit) => hit || fetch(req).then((res) => {
      if (res.ok) {
        const copy = res.clone();
        caches.open(VERSION).then((c) => c.put(req, copy));
      }
      return res;
    })));
  } else {
    // Other static files (Leaflet, icons): cache first, refreshed in the background.
    event.respondWith(
      caches.match(req).then((hit) => {
        const fresh = fetch(req).then((res) => {
          if (res.ok) caches.open(VERSION).then((c) => c.put(req, res.clone()));
          return res;
        });
        return hit || fresh;
      })
    );
  }
});

function networkFirst(req, fallback) {
  return fetch(req)
    .then((res) => {
      if (res.ok) {
        const copy = res.clone();
        caches.open(VERSION).then((c) => c.put(req, copy));
      }
      return res;
    })
    .catch(() => caches.match(req).then((hit) => hit || (fallback ? caches.match(fallback) : Response.error())));
}
