// Measures pages as a cheap phone on a weak signal gets them: Debian's Chromium at 360 px,
// 400 kbit/s both ways, 400 ms round trip, CPU slowed 4×, cold caches, no service worker.
// Per page: the bytes and time until it is usable (first contentful paint: HTML and CSS,
// no script needed), the bytes and time until it has hydrated (pages with islands), and
// for the person step the time until its NIK check answers; "wasm+JS" is what of those
// bytes was script (the main module, the split loader, the page's island chunks, as sent,
// headers included). Run by bench/pages.sh.
//   node bench/pages.mjs <base-url> <path>...
import { chromium } from "@playwright/test";

const [base, ...paths] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking"],
});

/** One fresh phone: a new context (cold cache) with the slow profile applied. */
async function phone() {
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "id-ID", serviceWorkers: "block" });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 });
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
  // Bytes as they came over the wire (compressed, with headers), each with its arrival time.
  const arrivals = [];
  const urls = new Map();
  cdp.on("Network.responseReceived", (e) => urls.set(e.requestId, e.response.url));
  cdp.on("Network.loadingFinished", (e) => arrivals.push({ at: e.timestamp, bytes: e.encodedDataLength, script: /\.(wasm|js)$/.test(new URL(urls.get(e.requestId) ?? "http://x/").pathname) }));
  let origin = 0;
  cdp.on("Network.requestWillBeSent", (e) => {
    if (!origin && e.type === "Document") origin = e.timestamp;
  });
  return { context, page, cdp, arrivals, since: () => origin };
}

/** Fills the journey up to the step at `path` through the plain forms (unthrottled API). */
async function toStep(context, path) {
  const steps = [
    ["/ajukan/mulai", { program: "rs-rtlh" }],
    ["/ajukan/siapa", { untuk: "sendiri" }],
    ["/ajukan/data-diri", { nik: "3276015505870003", nama: "Siti Aminah", tanggal_lahir: "1987-05-15", jenis_kelamin: "P", telepon: "0812 5555 0101", email: "" }],
    ["/ajukan/alamat", { provinsi: "32", kabupaten: "3276", kecamatan: "327601", desa: "3276011006", jalan: "Jl. Kenanga 7", rt: "3", rw: "4" }],
    ["/ajukan/keluarga", { no_kk: "3276010101090001", aksi: "lanjut" }],
    ["/ajukan/kebutuhan", { kategori: "24", program: "rs-rtlh", uraian: "Atap rumah bocor dan dinding retak." }],
  ];
  for (const [at, form] of steps) {
    if (at === path) return;
    await context.request.post(`${base}${at}`, { form, maxRedirects: 0 });
  }
}

const rows = [];
for (const path of paths) {
  const { context, page, arrivals, since } = await phone();
  if (path.startsWith("/ajukan/")) await toStep(context, path);
  const started = Date.now();
  await page.goto(base + path, { waitUntil: "load" });
  // The paint entry can land a moment after "load" on a slowed CPU.
  await page.waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, null, { timeout: 30_000 });
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0].startTime);
  const islands = (await page.locator("leptos-island").count()) > 0;
  let hydrated = null;
  let nikAnswer = null;
  if (islands) {
    await page.waitForSelector("html[data-hydrated]", { timeout: 120_000 });
    hydrated = Date.now() - started;
  }
  if (path === "/ajukan/data-diri") {
    const typed = Date.now();
    await page.getByLabel("NIK (Nomor Induk Kependudukan)").fill("3276015505870003");
    await page.getByText(/NIK terbaca/).waitFor({ timeout: 120_000 });
    nikAnswer = Date.now() - started;
    nikAnswer = { total: nikAnswer, afterTyping: Date.now() - typed };
  }
  // Bytes until a moment: everything that had fully arrived by then (CDP seconds).
  const t0 = since();
  const bytesBy = (ms) => arrivals.filter((a) => (a.at - t0) * 1000 <= ms + 1).reduce((n, a) => n + a.bytes, 0);
  const all = arrivals.reduce((n, a) => n + a.bytes, 0);
  const scripts = arrivals.filter((a) => a.script).reduce((n, a) => n + a.bytes, 0);
  rows.push({ path, usableMs: Math.round(fcp), usableBytes: bytesBy(fcp), hydratedMs: hydrated, hydratedBytes: islands ? all : null, scriptBytes: islands ? scripts : null, nik: nikAnswer });
  await context.close();
}
await browser.close();

const kb = (b) => (b == null ? "—" : `${(b / 1024).toFixed(1)} KB`);
const s = (ms) => (ms == null ? "—" : `${(ms / 1000).toFixed(2)} s`);
console.log(`${"page".padEnd(22)} ${"usable".padStart(9)} ${"bytes".padStart(9)} ${"hydrated".padStart(9)} ${"bytes".padStart(9)} ${"wasm+JS".padStart(9)}`);
for (const r of rows) {
  console.log(`${r.path.padEnd(22)} ${s(r.usableMs).padStart(9)} ${kb(r.usableBytes).padStart(9)} ${s(r.hydratedMs).padStart(9)} ${kb(r.hydratedBytes).padStart(9)} ${kb(r.scriptBytes).padStart(9)}`);
  if (r.nik) console.log(`${"".padEnd(22)} NIK check answers at ${s(r.nik.total)} (${s(r.nik.afterTyping)} after typing)`);
}
