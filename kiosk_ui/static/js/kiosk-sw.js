// The kiosk's service worker: network first, the last good copy when the server is down,
// so a kiosk reloaded during an outage still opens (its typed codes wait in localStorage).
const CACHE = "floorline-kiosk-v1";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function keepable(request) {
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return false;
  if (url.pathname.startsWith("/api/") || url.pathname.startsWith("/socket.io/")) return false;
  return url.pathname.startsWith("/kiosk/") || url.pathname.startsWith("/static/");
}

// The page sends what it loaded before this worker took over (the page itself, its modules).
self.addEventListener("message", (event) => {
  const urls = (event.data && event.data.keep) || [];
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await Promise.all(urls.map((u) => new Request(u)).filter(keepable).map(async (request) => {
      try {
        const response = await fetch(request);
        if (response.ok) await cache.put(request, response);
      } catch { /* offline already: keep what is there */ }
    }));
  })());
});

self.addEventListener("fetch", (event) => {
  if (!keepable(event.request)) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    try {
      const response = await fetch(event.request);
      if (response.ok) cache.put(event.request, response.clone());
      return response;
    } catch (err) {
      const kept = await cache.match(event.request, { ignoreVary: true });
      if (kept) return kept;
      throw err;
    }
  })());
});
