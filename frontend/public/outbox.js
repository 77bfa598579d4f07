// The outbox of survey responses not yet sent: IndexedDB on this phone, keyed by each
// response's idempotency key (queuing it twice keeps one), emptied by the page when it is online
// again and by the service worker on Background Sync. The server stores a key once, so a
// response sent by both still counts once. Used by /qn.js (page) and /sw.js (importScripts).
var qnOutbox = (function () {
  'use strict';
  var DB = 'qn-outbox';
  var STORE = 'responses';

  function open() {
    return new Promise(function (resolve, reject) {
      var req = indexedDB.open(DB, 1);
      req.onupgradeneeded = function () { req.result.createObjectStore(STORE, { keyPath: 'key' }); };
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  function run(mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(STORE, mode);
        var req = work(tx.objectStore(STORE));
        tx.oncomplete = function () { db.close(); resolve(req ? req.result : undefined); };
        tx.onerror = function () { db.close(); reject(tx.error); };
      });
    });
  }

  function put(item) { return run('readwrite', function (s) { return s.put(item); }); }
  function all() { return run('readonly', function (s) { return s.getAll(); }); }
  function remove(key) { return run('readwrite', function (s) { return s.delete(key); }); }

  // One POST; resolves with the status and the JSON answer, rejects when there is no network.
  function post(item) {
    return fetch(item.url, {
      method: 'POST', credentials: 'same-origin',
      headers: { 'content-type': 'application/json' }, body: item.body
    }).then(function (r) {
      return r.json().catch(function () { return {}; }).then(function (j) { return { status: r.status, json: j }; });
    });
  }

  // Sends every queued response in turn. Stored (201), a replay (200) and refusals (4xx) leave
  // the queue; "too fast" (429), server errors and no network keep it for the next try.
  var running = null;
  function flush() {
    if (running) return running;
    running = all().then(function (items) {
      return items.reduce(function (chain, item) {
        return chain.then(function (done) {
          return post(item).then(function (r) {
            if (r.status === 429 || r.status >= 500) return done;
            return remove(item.key).then(function () { return done.concat([{ item: item, status: r.status, json: r.json }]); });
          }, function () { return done; });
        });
      }, Promise.resolve([]));
    }).then(function (done) { running = null; return done; }, function (e) { running = null; throw e; });
    return running;
  }

  return { put: put, all: all, remove: remove, post: post, flush: flush };
})();
