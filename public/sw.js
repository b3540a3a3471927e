// Layan's service worker: what a resident typed survives a dropped signal.
//
// - Posts of the journey's steps and uploads, and of the tracking and complaint forms, that
//   cannot reach the server are kept in this browser (IndexedDB) and sent, in the order they
//   were made, when the signal returns: by Background Sync where the browser has it (an open
//   offline page then moves on to the answer), on the next page opened, or with "Kirim sekarang".
// - The final submission (/ajukan/kirim) is never kept: offline it is refused with the offline
//   page's "not submitted" state. Only the server's registration number means submitted.
// - The CSS, scripts, icons and the offline page (/luring) are kept; public pages and the
//   journey's steps as they are visited, each served only when the network fails.
// - The journey's pages and kept posts hold personal data: they go once sent, when the
//   application is submitted or discarded, with "Buang" (shared phones), and after 7 days;
//   a counter's browser (signed in as staff, registering walk-ins) keeps no page copies.
//
// The worker carries no words: the offline page is rendered by the server
// (src/pages/offline.rs) and only has one of its states shown and its list filled here.
// Staff pages, server functions and other origins are never touched.

const SHELL = "layan-shell-v1";
const PAGES = "layan-pages-v1";
const DB_NAME = "layan-luring";
const POSTS = "kiriman";
const WEEK_MS = 7 * 24 * 60 * 60 * 1000;
const OFFLINE_PAGE = "/luring";
const PRECACHE = [OFFLINE_PAGE, "/pkg/layan.css", "/favicon.svg", "/icon-192.png", "/manifest.webmanifest"];
const SUBMISSION = "/ajukan/kirim";
/** Posts kept when the network is gone. */
const KEPT_POSTS = [/^\/ajukan\/(siapa|data-diri|alamat|keluarga|kebutuhan|dokumen|periksa)$/, /^\/ajukan\/dokumen\/unggah$/, /^\/lacak(\/(jawaban|dokumen|sanggah))?$/, /^\/pengaduan$/];
/** Pages kept as visited, to be read without signal. The journey's are personal. */
const JOURNEY_PAGES = /^\/ajukan(\/(siapa|data-diri|alamat|keluarga|kebutuhan|dokumen|periksa))?$/;
const PUBLIC_PAGES = /^\/(cek-bantuan|lacak|pengaduan|statistik)?$/;
/** Where the application is over on this phone: its pages' copies go. */
const JOURNEY_ENDS = [/^\/ajukan\/selesai$/, /^\/ajukan\/buang$/];
/** Set by the server for a browser with a staff session (src/server/http.rs STAFF_BROWSER). */
const STAFF_BROWSER = "x-layan-petugas";
const ASSETS = /^\/(pkg\/.+|favicon\.svg|icon-[a-z0-9-]+\.png|manifest\.webmanifest)$/;

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        if (name !== SHELL && name !== PAGES) await caches.delete(name);
      }
      // The page's request starts while the worker boots (a cheap phone takes a while).
      if (self.registration.navigationPreload) await self.registration.navigationPreload.enable();
      await expire();
      await self.clients.claim();
    })(),
  );
});

// Background Sync: the browser wakes the worker when the signal returns, page open or not.
self.addEventListener("sync", (event) => {
  if (event.tag !== "layan-kirim") return;
  const sent = flush({ background: true }).then((result) => {
    // Still no way through: failing the event makes the browser try again later.
    if (result.state === "offline") throw new Error("no signal yet");
    return showAnswer(result);
  });
  event.waitUntil(sent);
});

/** After a send in the background, an open offline page moves on to the server's answer. */
async function showAnswer(result) {
  if (result.state !== "sent") return;
  for (const client of await self.clients.matchAll({ type: "window" })) {
    if (new URL(client.url).pathname === OFFLINE_PAGE && "navigate" in client) await client.navigate(result.answer).catch(() => {});
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (path.startsWith("/petugas") || path.startsWith("/api/") || path === "/sw.js") return;
  if (request.method === "POST") {
    if (path === "/luring/kirim") return event.respondWith(sendNow());
    if (path === "/luring/buang") return event.respondWith(discard());
    if (path === SUBMISSION) return event.respondWith(submit(request));
    if (KEPT_POSTS.some((p) => p.test(path))) return event.respondWith(postOrKeep(request, path));
    if (JOURNEY_ENDS.some((p) => p.test(path))) event.waitUntil(forgetJourney());
    return;
  }
  if (request.method !== "GET") return;
  if (path === OFFLINE_PAGE) return event.respondWith(offlinePage(url));
  if (request.mode === "navigate") return event.respondWith(navigate(event, path));
  if (ASSETS.test(path)) return event.respondWith(asset(request));
});

// --- Kept posts (IndexedDB) ---

function database() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore(POSTS, { keyPath: "id", autoIncrement: true });
      open.result.createObjectStore("hasil");
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

async function withStore(name, mode, action) {
  const db = await database();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(name, mode);
    const request = action(tx.objectStore(name));
    tx.oncomplete = () => resolve(request && request.result);
    tx.onerror = () => reject(tx.error);
  });
}

/** Kept posts in the order they were made; those older than a week are dropped. */
async function keptPosts() {
  const posts = (await withStore(POSTS, "readonly", (s) => s.getAll())) || [];
  const fresh = [];
  for (const post of posts) {
    if (Date.now() - post.at > WEEK_MS) await withStore(POSTS, "readwrite", (s) => s.delete(post.id));
    else fresh.push(post);
  }
  return fresh;
}

async function keep(post) {
  await withStore(POSTS, "readwrite", (s) => s.add(post));
  try {
    await self.registration.sync.register("layan-kirim");
  } catch (_) {
    // No Background Sync here: the next page, the offline page's retry or "Kirim sekarang" sends.
  }
}

/** What a post carries, read before it is tried, so it can be kept if the network fails. */
async function snapshot(request, path) {
  return {
    path,
    url: request.url,
    type: request.headers.get("content-type") || "application/x-www-form-urlencoded",
    upload: request.headers.get("x-layan-unggah") === "1",
    from: request.referrer || "/",
    body: await request.clone().arrayBuffer(),
    at: Date.now(),
  };
}

/**
 * Sends the kept posts in order. Stops at the first the network does not carry (kept) or the
 * server cannot take now (5xx, 429: kept). A refusal (4xx) is the server's answer: shown,
 * then dropped — except in the background, where nobody would see it, so it waits for a page.
 */
function flush(options) {
  // One at a time: two at once (a page and Background Sync) would send a post twice.
  const run = flushing.then(() => sendKept(options || {}));
  flushing = run.catch(() => {});
  return run;
}
let flushing = Promise.resolve();

async function sendKept({ background = false }) {
  const posts = await keptPosts();
  let last = null;
  for (const post of posts) {
    let response;
    try {
      const headers = { "content-type": post.type };
      if (post.upload) headers["x-layan-unggah"] = "1";
      response = await fetch(post.url, { method: "POST", body: post.body, headers, credentials: "same-origin", redirect: "follow" });
    } catch (_) {
      return { state: "offline" };
    }
    if (response.status >= 500 || response.status === 429) return { state: "offline" };
    if (response.status >= 400) {
      if (background) return { state: "refused" };
      await withStore(POSTS, "readwrite", (s) => s.delete(post.id));
      return { state: "refused", response };
    }
    await withStore(POSTS, "readwrite", (s) => s.delete(post.id));
    last = { response, post };
  }
  if (!last) return { state: "none" };
  const answer = answerPage(last);
  // Remembered a minute: a page that asks just after (a tap racing Background Sync) still
  // gets to the answer.
  await withStore("hasil", "readwrite", (s) => s.put({ answer, at: Date.now() }, "terakhir"));
  return { state: "sent", answer };
}

/** The server's answer to the posts sent in the last minute, if any. */
async function recentAnswer() {
  const last = await withStore("hasil", "readonly", (s) => s.get("terakhir"));
  return last && Date.now() - last.at < 60_000 ? last.answer : null;
}

/** The page that shows what the server made of the last post sent. */
function answerPage({ response, post }) {
  const html = (response.headers.get("content-type") || "").startsWith("text/html");
  if (response.redirected && html) return new URL(response.url).pathname + new URL(response.url).search;
  return new URL(post.from, self.location.origin).pathname;
}

/** A refusal the server sent, answered to the page as it came. */
function shown(response) {
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: response.headers });
}

function keptAnswer(post) {
  if (post.upload) return new Response(JSON.stringify({ kept: true }), { status: 202, headers: { "content-type": "application/json" } });
  return Response.redirect(`${OFFLINE_PAGE}?keadaan=tersimpan`, 303);
}

async function postOrKeep(request, path) {
  const post = await snapshot(request, path);
  const before = await flush();
  if (before.state === "offline") {
    await keep(post);
    return keptAnswer(post);
  }
  if (before.state === "refused") {
    await keep(post);
    return shown(before.response);
  }
  try {
    const response = await fetch(request);
    if (response.status >= 500 || response.status === 429) throw new Error("not now");
    return response;
  } catch (_) {
    await keep(post);
    return keptAnswer(post);
  }
}

async function submit(request) {
  const notSubmitted = () => Response.redirect(`${OFFLINE_PAGE}?keadaan=belum-diajukan`, 303);
  const before = await flush();
  if (before.state === "offline") return notSubmitted();
  if (before.state === "refused") return shown(before.response);
  try {
    return await fetch(request);
  } catch (_) {
    return notSubmitted();
  }
}

async function sendNow() {
  const result = await flush();
  if (result.state === "offline") return Response.redirect(`${OFFLINE_PAGE}?keadaan=tersimpan`, 303);
  if (result.state === "refused") return shown(result.response);
  if (result.state === "sent") return Response.redirect(result.answer, 303);
  return Response.redirect((await recentAnswer()) || OFFLINE_PAGE, 303);
}

async function discard() {
  await withStore(POSTS, "readwrite", (s) => s.clear());
  await withStore("hasil", "readwrite", (s) => s.clear());
  await forgetJourney();
  return Response.redirect(OFFLINE_PAGE, 303);
}

// --- Pages and files ---

async function forgetJourney() {
  const cache = await caches.open(PAGES);
  for (const request of await cache.keys()) {
    if (JOURNEY_PAGES.test(new URL(request.url).pathname)) await cache.delete(request);
  }
}

async function expire() {
  await keptPosts();
  const cache = await caches.open(PAGES);
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    if (!response || Date.now() - Number(response.headers.get("x-layan-disimpan") || 0) > WEEK_MS) await cache.delete(request);
  }
}

async function navigate(event, path) {
  const request = event.request;
  const preloaded = Promise.resolve(event.preloadResponse).catch(() => undefined);
  event.waitUntil(preloaded);
  let fresh = false;
  if ((await keptPosts()).length) {
    // The kept posts go first, so the page asked for shows them.
    const sent = await flush();
    if (sent.state === "refused") return shown(sent.response);
    fresh = sent.state === "sent";
  }
  try {
    const response = (!fresh && (await preloaded)) || (await fetch(request));
    // A counter's browser (a staff session): the journey is a walk-in's, nothing of it stays.
    if (JOURNEY_ENDS.some((p) => p.test(path)) || response.headers.has(STAFF_BROWSER)) await forgetJourney();
    else if (response.ok && (JOURNEY_PAGES.test(path) || PUBLIC_PAGES.test(path))) await keepPage(path, response.clone());
    return response;
  } catch (_) {
    const cache = await caches.open(PAGES);
    const copy = await cache.match(path);
    if (copy && Date.now() - Number(copy.headers.get("x-layan-disimpan") || 0) <= WEEK_MS) return copy;
    return renderOffline("putus");
  }
}

async function keepPage(path, response) {
  const headers = new Headers(response.headers);
  headers.set("x-layan-disimpan", String(Date.now()));
  const body = await response.blob();
  const cache = await caches.open(PAGES);
  await cache.put(path, new Response(body, { status: response.status, headers }));
}

/** Network first (the HTTP cache still spares the bytes); the kept copy when it fails. */
async function asset(request) {
  const cache = await caches.open(SHELL);
  try {
    const response = await fetch(request);
    if (response.ok) {
      const kept = await cache.match(request);
      const tag = response.headers.get("etag");
      if (!kept || !tag || kept.headers.get("etag") !== tag) await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const kept = await cache.match(request, { ignoreSearch: true });
    if (kept) return kept;
    throw error;
  }
}

// --- The offline page ---

async function offlinePage(url) {
  const asked = url.searchParams.get("keadaan");
  const kept = await keptPosts();
  if (kept.length) {
    const sent = await flush();
    if (sent.state === "sent") return Response.redirect(sent.answer, 303);
    if (sent.state === "refused") return shown(sent.response);
  } else if (!asked || asked === "tersimpan") {
    // Sent meanwhile (Background Sync, another tab): the answer, while it is recent.
    const answer = await recentAnswer();
    if (answer) return Response.redirect(answer, 303);
    // With signal, a fresh copy (the language may have changed, the words may be new).
    try {
      const response = await fetch(OFFLINE_PAGE);
      if (response.ok) await (await caches.open(SHELL)).put(OFFLINE_PAGE, response.clone());
    } catch (_) {
      // The kept copy serves.
    }
  }
  const posts = await keptPosts();
  let state = asked || (posts.length ? "tersimpan" : "putus");
  if (state === "tersimpan" && !posts.length) state = "terkirim";
  return renderOffline(state, posts);
}

async function renderOffline(state, posts) {
  posts = posts || (await keptPosts());
  const template = (await (await caches.open(SHELL)).match(OFFLINE_PAGE)) || (await fetch(OFFLINE_PAGE));
  let html = await template.text();
  html = html.replace(/id="keadaan-([a-z-]+)"( hidden(="")?)?/g, (_, name) => (name === state ? `id="keadaan-${name}"` : `id="keadaan-${name}" hidden`));
  const kinds = [...html.matchAll(/<li data-awalan="([^"]*)">([^<]*)/g)].map((m) => [m[1], m[2]]);
  const lang = (html.match(/<html lang="([a-z]+)"/) || [])[1] === "en" ? "en-GB" : "id-ID";
  const items = posts
    .map((post) => {
      const kind = kinds.find(([prefix]) => post.path.startsWith(prefix));
      const when = new Date(post.at).toLocaleString(lang, { dateStyle: "medium", timeStyle: "short" });
      return `<li>${kind ? kind[1] : ""} · ${when}</li>`;
    })
    .join("");
  html = html.replace('<ul id="tersimpan" class="kept-list">', (list) => list + items);
  if (posts.length) html = html.replace('<p id="tidak-ada-tersimpan">', '<p id="tidak-ada-tersimpan" hidden>');
  const headers = new Headers(template.headers);
  headers.set("cache-control", "no-store");
  headers.delete("content-length");
  headers.delete("content-encoding");
  return new Response(html, { status: 200, headers });
}
