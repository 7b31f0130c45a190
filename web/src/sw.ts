// The service worker: keeps the player's shell (its HTML, scripts, styles, icons) so it opens
// offline and installs as an app. It never touches the API: /v1 requests, the event stream,
// health and metrics always go to the network, so nothing personal is ever cached here.
// The build prepends the shell's file list and a version (tools/pwa.ts).
/// <reference lib="webworker" />
export {};

declare const self: ServiceWorkerGlobalScope & { __TTA_SHELL__: string[]; __TTA_VERSION__: string };

const CACHE = `tta-shell-${self.__TTA_VERSION__}`;
const PASS_THROUGH = ['/v1/', '/openapi.json', '/healthz', '/readyz', '/metrics'];

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(self.__TTA_SHELL__))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('tta-shell-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== self.location.origin) return;
  if (PASS_THROUGH.some((p) => url.pathname.startsWith(p))) return;
  if (request.mode === 'navigate') {
    // The newest page when online; the kept shell when not.
    event.respondWith(fetch(request).catch(() => caches.match('/').then((r) => r ?? Response.error())));
    return;
  }
  event.respondWith(caches.match(request).then((hit) => hit ?? fetch(request)));
});
