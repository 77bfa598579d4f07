// Quartiersnetz service worker: keeps the app shell on the phone, serves visited pages when the
// network is gone, and shows an offline page otherwise. Bump VERSION when the shell changes.
// The wasm bundle's names change with every release (a hash of its content): it is kept when a
// page first loads it, and the previous release's copy is dropped then.
importScripts('/outbox.js');
const VERSION = 'qn-shell-v4';
const SHELL = [
  '/offline.html', '/qn.css', '/qn.js', '/outbox.js', '/manifest.webmanifest', '/favicon.ico',
  '/icons/icon.svg', '/icons/icon-192.png', '/leaflet/leaflet.js', '/leaflet/leaflet.css'
];
const BUNDLE = /^\/pkg\/quartiersnetz-([0-9a-f]+)/;

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
  } else if (BUNDLE.test(url.pathname)) {
    // Immutable: from the cache when there, else fetched once and kept instead of older ones.
    const release = url.pathname.match(BUNDLE)[1];
    event.respondWith(
      caches.match(req).then((hit) => hit || fetch(req).then((res) => {
        if (res.ok) {
          const copy = res.clone();
          caches.open(VERSION).then((c) => c.keys().then((keys) => Promise.all(keys
            .filter((k) => { const m = new URL(k.url).pathname.match(BUNDLE); return m && m[1] !== release; })
            .map((k) => c.delete(k)))).then(() => c.put(req, copy)));
        }
        return res;
      }))
    );
  } else {
    // Shell assets: cache first, refreshed in the background.
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
