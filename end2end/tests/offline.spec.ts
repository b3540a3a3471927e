import { test, expect, Page, APIRequestContext, BrowserContext } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { collectPageErrors, drawPhoto, expectNoAxeViolations, expectTouchSizedTargets, waitUntilInteractive } from "./support";

// Lighter and offline-capable (issue 18): pages without islands fetch no script, the app is
// installable, the service worker keeps what a resident posts without signal and sends it
// when the signal returns, and islands take over what was typed before they woke up.

/** A NIK for a man born 20 June 1985 in Kota Depok, unique per `seq` (1..9999). */
const nik = (seq: number) => `327601200685${String(seq).padStart(4, "0")}`;

/** Fills the journey through the plain forms (as a phone without JavaScript would post
 * them, sharing the page's cookies) up to, not including, `until`. */
async function journeyUpTo(request: APIRequestContext, seq: number, until: string) {
  const steps: [string, Record<string, string>][] = [
    ["/ajukan/mulai", { program: "rs-rtlh" }],
    ["/ajukan/siapa", { untuk: "sendiri" }],
    ["/ajukan/data-diri", { nik: nik(seq), nama: "Joko Widodo", tanggal_lahir: "1985-06-20", jenis_kelamin: "L", telepon: "0812 5555 0101", email: "" }],
    ["/ajukan/alamat", { provinsi: "32", kabupaten: "3276", kecamatan: "327601", desa: "3276011006", jalan: "Jl. Kenanga 7", rt: "3", rw: "4" }],
    ["/ajukan/keluarga", { no_kk: "3276010101090001", aksi: "lanjut" }],
    ["/ajukan/kebutuhan", { kategori: "24", program: "rs-rtlh", uraian: "Atap rumah bocor dan dinding retak." }],
  ];
  for (const [at, form] of steps) {
    if (at === until) return;
    const answer = await request.post(at, { form, maxRedirects: 0 });
    expect(answer.status(), `${at}: ${await answer.text()}`).toBe(303);
  }
}

/** Uploads every document the program asks for, through the plain form. */
async function uploadAll(request: APIRequestContext, pdf: string) {
  for (const kind of ["ktp", "kk", "sktm", "foto-rumah"]) {
    const answer = await request.post("/ajukan/dokumen/unggah", {
      multipart: { jenis: kind, berkas: { name: "dokumen.pdf", mimeType: "application/pdf", buffer: fs.readFileSync(pdf) } },
      maxRedirects: 0,
    });
    expect(answer.status(), kind).toBe(303);
  }
}

function makePdf(): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "layan-offline-")), "surat.pdf");
  fs.writeFileSync(
    file,
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
      "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
  );
  return file;
}

/** Waits until the service worker controls the page (it claims open pages when it starts). */
async function workerInControl(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    for (let i = 0; i < 200 && !navigator.serviceWorker.controller; i++) await new Promise((r) => setTimeout(r, 50));
  });
  expect(await page.evaluate(() => navigator.serviceWorker.controller?.state)).toBe("activated");
}

const keptHeading = "Tersimpan di ponsel ini — belum terkirim";

/** The signal drops or returns. Chromium's offline mode does not always reach the service
 * worker's own fetches, so while offline every request that does reach the network is also
 * refused the way a dead link refuses it. */
async function signal(context: BrowserContext, on: boolean) {
  if (on) {
    await context.unrouteAll();
    await context.setOffline(false);
  } else {
    await context.setOffline(true);
    await context.route("**/*", (route) => route.abort("internetdisconnected"));
  }
}

/** "Kirim sekarang" — unless Background Sync got there first and the worker has already
 * moved the page on to the server's answer (both are what a resident may see). */
async function sendNow(page: Page) {
  await page.getByRole("button", { name: "Kirim sekarang" }).click({ timeout: 5_000, noWaitAfter: true }).catch(() => {});
}

test.describe("without islands, no script", () => {
  test("home, the aid check, tracking and complaints fetch no wasm and no hydration script", async ({ page }) => {
    const fetched: string[] = [];
    page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
    for (const at of ["/", "/cek-bantuan", "/lacak", "/pengaduan", "/statistik"]) {
      await page.goto(at);
      await page.waitForLoadState("load");
    }
    // The worker's own fetches (it installs in the background) are not the pages'.
    await page.evaluate(() => navigator.serviceWorker.ready);
    const scripts = fetched.filter((p) => p.endsWith(".wasm") || p === "/pkg/layan.js");
    expect(scripts).toEqual([]);
    expect(await page.locator("script").count()).toBe(1); // the worker's registration
  });

  // Each island is lazy, in chunks of its own (cargo leptos build --split): a step fetches the
  // main module and its own island's chunks, each once (the shell preloads them), no other's.
  for (const [step, island] of [["/ajukan/data-diri", "nik_input"], ["/ajukan/alamat", "region_picker"], ["/ajukan/dokumen", "document_uploader"]]) {
    test(`${step} fetches its HTML, the style sheet, the script, the main wasm and its island's chunks, nothing else`, async ({ page }) => {
      const manifest: Record<string, string[]> = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "target", "site", "pkg", "__wasm_split_manifest.json"), "utf8"));
      const own = Object.entries(manifest).find(([split]) => new RegExp(`^${island}_loader_\\d+$`).test(split));
      expect(own, `${island} is a split point`).toBeTruthy();
      await journeyUpTo(page.request, 9001 + step.length, step);
      const fetched: string[] = [];
      page.on("request", (r) => fetched.push(new URL(r.url()).pathname));
      await page.goto(step);
      await waitUntilInteractive(page, true);
      const pageOwn = fetched.filter((p) => !["/sw.js", "/luring", "/manifest.webmanifest", "/icon-192.png", "/favicon.svg"].includes(p));
      const chunks = own![1].map((file) => `/pkg/${file}.wasm`);
      expect(pageOwn.sort()).toEqual([step, "/pkg/layan.css", "/pkg/layan.js", "/pkg/layan.wasm", "/pkg/__wasm_split.______________________.js", ...chunks].sort());
    });
  }
});

test.describe("installable", () => {
  test("the manifest is valid, Chromium finds nothing against installing, the worker is active", async ({ playwright, launchOptions, baseURL }) => {
    // A profile on disk: Playwright's usual contexts are incognito, where nothing installs.
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), "layan-profile-"));
    const context = await playwright.chromium.launchPersistentContext(profile, { ...launchOptions, baseURL, viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto("/");
      await workerInControl(page);
      const cdp = await context.newCDPSession(page);
      const manifest = (await cdp.send("Page.getAppManifest")) as { url: string; errors: unknown[]; data?: string };
      expect(manifest.url).toMatch(/\/manifest\.webmanifest$/);
      expect(manifest.errors).toEqual([]);
      const parsed = JSON.parse(manifest.data ?? "{}");
      expect(parsed.short_name).toBe("Layan");
      expect(parsed.start_url).toBe("/");
      expect(parsed.theme_color).toBe("#0b5d57");
      for (const icon of parsed.icons as { src: string; type: string }[]) {
        const answer = await page.request.get(icon.src);
        expect(answer.status(), icon.src).toBe(200);
        expect(answer.headers()["content-type"]).toContain(icon.type);
      }
      const installability = (await cdp.send("Page.getInstallabilityErrors")) as { installabilityErrors: { errorId: string }[] };
      expect(installability.installabilityErrors.map((e) => e.errorId)).toEqual([]);
    } finally {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  });
});

/** The pages the service worker keeps a copy of, by path. */
const keptPages = (page: Page) => page.evaluate(async () => (await (await caches.open("layan-pages-v1")).keys()).map((r) => new URL(r.url).pathname));

test.describe("a Puskesos counter's browser", () => {
  test("keeps no copy of a walk-in's journey pages, and drops those it kept before", async ({ page }) => {
    await page.goto("/");
    await workerInControl(page);
    // First a resident's own journey, in this browser: its step is kept for reading offline.
    await journeyUpTo(page.request, 9007, "/ajukan/data-diri");
    await page.goto("/ajukan/siapa");
    expect(await keptPages(page)).toContain("/ajukan/siapa");
    // Then an officer signs in and registers a walk-in: nothing of the journey stays.
    await page.goto("/petugas/masuk");
    await page.getByLabel("Nama pengguna").fill("petugas.depok");
    await page.getByLabel("Kata sandi").fill("layan-demo-2026");
    await page.getByRole("button", { name: "Masuk" }).click();
    await page.getByLabel("Loket").selectOption({ label: "Puskesos Kelurahan Depok" });
    await page.getByRole("button", { name: "Daftarkan warga yang datang" }).click();
    await expect(page.getByText("Pendaftaran di loket: Puskesos Kelurahan Depok, oleh Rina Puspitasari.")).toBeVisible();
    await page.goto("/ajukan/siapa");
    await expect(page.getByText("Pendaftaran di loket: Puskesos Kelurahan Depok, oleh Rina Puspitasari.")).toBeVisible();
    expect((await keptPages(page)).filter((p) => p.startsWith("/ajukan"))).toEqual([]);
  });
});

test.describe("what a resident posts without signal is kept and sent when it returns", () => {
  test.describe.configure({ mode: "serial" });

  test("a household step, then the submission, offline and back", async ({ page, context }) => {
    test.setTimeout(120_000);
    const errors = collectPageErrors(page);
    await page.goto("/");
    await workerInControl(page);
    await journeyUpTo(page.request, 9002, "/ajukan/keluarga");
    await page.goto("/ajukan/keluarga");
    await expect(page.getByText("Langkah 4 dari 7")).toBeVisible();

    // The signal drops while the household is typed.
    await signal(context, false);
    await page.getByLabel("Nomor KK").fill("3276010101090001");
    await page.getByLabel("NIK anggota").fill("3276011203100002");
    await page.getByLabel("Nama anggota").fill("Rina Lestari");
    await page.getByLabel("Hubungan dalam keluarga").selectOption("anak");
    await page.getByRole("button", { name: "Tambah anggota" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(keptHeading);
    await expect(page.locator("#tersimpan li")).toHaveCount(1);
    await expect(page.locator("#tersimpan li")).toContainText("Langkah permohonan");
    await expectTouchSizedTargets(page);
    await expectNoAxeViolations(page);

    // Still offline, "Kirim sekarang" keeps it.
    await page.getByRole("button", { name: "Kirim sekarang" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(keptHeading);

    // The signal returns: the kept post goes, and the server's answer shows.
    await signal(context, true);
    await sendNow(page);
    await expect(page).toHaveURL(/\/ajukan\/keluarga$/);
    await expect(page.getByRole("listitem").filter({ hasText: "Rina Lestari" })).toContainText("Anak");
    await page.getByRole("button", { name: "Simpan dan lanjutkan" }).click();
    await expect(page.getByText("Langkah 5 dari 7")).toBeVisible();
    await page.request.post("/ajukan/kebutuhan", { form: { kategori: "24", program: "rs-rtlh", uraian: "Atap rumah bocor dan dinding retak." }, maxRedirects: 0 });
    await uploadAll(page.request, makePdf());
    await page.goto("/ajukan/periksa");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Periksa jawaban Anda");
    await expect(page.getByText("Rina Lestari")).toBeVisible();
    // Its script first (cut off mid-download, the page stays plain HTML and the console says so).
    await waitUntilInteractive(page, true);

    // The submission without signal is refused, plainly, and nothing is kept for later.
    await page.getByLabel(/Saya menyatakan data yang saya isi benar/).check();
    await signal(context, false);
    await page.getByRole("button", { name: "Kirim permohonan" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Permohonan BELUM diajukan");
    await expect(page.locator("#tersimpan li")).toHaveCount(0);
    await expectNoAxeViolations(page);
    // With signal again, the same submission goes through.
    await signal(context, true);
    await page.goto("/ajukan/periksa");
    await waitUntilInteractive(page, true);
    await page.getByLabel(/Saya menyatakan data yang saya isi benar/).check();
    await page.getByRole("button", { name: "Kirim permohonan" }).click();
    await expect(page).toHaveURL(/\/ajukan\/selesai$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText("Permohonan terkirim");
    expect(errors.filter((e) => !/net::ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e))).toEqual([]);
  });

  test("a document photo chosen offline is kept downscaled and uploaded when the signal returns", async ({ page, context }) => {
    test.setTimeout(120_000);
    await page.goto("/");
    await workerInControl(page);
    const photo = await drawPhoto(page, "ktp.jpg");
    await journeyUpTo(page.request, 9003, "never");
    await page.goto("/ajukan/dokumen");
    await waitUntilInteractive(page, true);

    await signal(context, false);
    const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Foto KTP", exact: true }) });
    await item.locator('input[type="file"]').setInputFiles(photo);
    await item.getByRole("button", { name: "Unggah" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(keptHeading);
    await expect(page.locator("#tersimpan li")).toContainText("Foto atau berkas dokumen");
    // What is kept is the downscaled photo, not the camera's original.
    const kept = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const open = indexedDB.open("layan-luring");
          open.onsuccess = () => {
            const all = open.result.transaction("kiriman").objectStore("kiriman").getAll();
            all.onsuccess = () => resolve(all.result.reduce((n: number, p: { body: ArrayBuffer }) => n + p.body.byteLength, 0));
          };
        }),
    );
    expect(kept).toBeLessThan(fs.statSync(photo).size / 2);

    await signal(context, true);
    await sendNow(page);
    await expect(page).toHaveURL(/\/ajukan\/dokumen$/);
    const shown = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Foto KTP", exact: true }) });
    await expect(shown).toContainText("Sudah diunggah (JPEG");
  });

  test("discard removes what is kept at once", async ({ page, context }) => {
    await page.goto("/");
    await workerInControl(page);
    await page.goto("/pengaduan");
    await signal(context, false);
    await page.locator("textarea").first().fill("Bantuan belum diterima sejak tiga bulan, mohon diperiksa.");
    await page.locator('form[action="/pengaduan"] button[type="submit"]').click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(keptHeading);
    await expect(page.locator("#tersimpan li")).toContainText("Pengaduan");
    await page.getByRole("button", { name: "Buang isian yang tersimpan" }).click();
    await expect(page.locator("#tersimpan li")).toHaveCount(0);
    await expect(page.getByText("Tidak ada isian yang menunggu dikirim.")).toBeVisible();
    await signal(context, true);
  });

  test("a kept post older than seven days is gone", async ({ page, context }) => {
    await page.goto("/");
    await workerInControl(page);
    await page.goto("/pengaduan");
    await signal(context, false);
    await page.locator("textarea").first().fill("Bantuan belum diterima, mohon diperiksa.");
    await page.locator('form[action="/pengaduan"] button[type="submit"]').click();
    await expect(page.locator("#tersimpan li")).toHaveCount(1);
    // Eight days pass on this phone: the post's time is moved back, as a clock would.
    await page.evaluate(
      () =>
        new Promise<void>((resolve) => {
          const open = indexedDB.open("layan-luring");
          open.onsuccess = () => {
            const store = open.result.transaction("kiriman", "readwrite").objectStore("kiriman");
            const all = store.getAll();
            all.onsuccess = () => {
              for (const post of all.result) store.put({ ...post, at: post.at - 8 * 24 * 60 * 60 * 1000 });
              store.transaction.oncomplete = () => resolve();
            };
          };
        }),
    );
    await page.reload();
    await expect(page.locator("#tersimpan li")).toHaveCount(0);
    await expect(page.getByText("Tidak ada isian yang menunggu dikirim.")).toBeVisible();
    await signal(context, true);
  });
});

test.describe("islands take over what was done before they woke up", () => {
  // The page's own requests, not the worker's, so the wasm can be held back.
  test.use({ serviceWorkers: "block" });

  /** Holds the wasm back until `release` is called, on the slow profile (400 kbit/s,
   * 400 ms round trip, CPU slowed 4×), so the resident acts before hydration for certain. */
  async function slowWithWasmHeld(page: Page) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 400, downloadThroughput: 50_000, uploadThroughput: 50_000 });
    await cdp.send("Emulation.setCPUThrottlingRate", { rate: 4 });
    let release = () => {};
    const held = new Promise<void>((r) => (release = r));
    await page.route("**/pkg/layan.wasm", async (route) => {
      await held;
      // The wasm then comes at full speed: the debug build's is several megabytes.
      await cdp.send("Network.emulateNetworkConditions", { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await route.continue();
    });
    return () => release();
  }

  test("a province picked before hydration still fills the regency list", async ({ page }) => {
    await journeyUpTo(page.request, 9004, "/ajukan/alamat");
    const release = await slowWithWasmHeld(page);
    await page.goto("/ajukan/alamat", { waitUntil: "domcontentloaded" });
    await page.getByLabel("Provinsi").selectOption({ label: "Jawa Barat" });
    expect(await page.locator("html").getAttribute("data-hydrated")).toBeNull();
    release();
    await waitUntilInteractive(page, true);
    const regency = page.getByLabel("Kabupaten/kota");
    await expect(regency).toBeEnabled();
    await expect(regency.locator("option")).toHaveCount(28); // "Pilih" and Jawa Barat's 27
    await regency.selectOption({ label: "Kota Depok" });
    await expect(page.getByLabel("Kecamatan")).toBeEnabled();
  });

  test("a NIK typed before hydration is checked once it hydrates", async ({ page }) => {
    await journeyUpTo(page.request, 9005, "/ajukan/data-diri");
    const release = await slowWithWasmHeld(page);
    await page.goto("/ajukan/data-diri", { waitUntil: "domcontentloaded" });
    await page.getByLabel("NIK (Nomor Induk Kependudukan)").fill(nik(9005));
    expect(await page.locator("html").getAttribute("data-hydrated")).toBeNull();
    release();
    await waitUntilInteractive(page, true);
    await expect(page.getByText(/NIK terbaca: lahir 20-06-’85/)).toContainText("Laki-laki");
  });

  test("a photo chosen before hydration is downscaled when uploaded after", async ({ page }) => {
    await page.goto("/");
    const photo = await drawPhoto(page, "ktp.jpg");
    await journeyUpTo(page.request, 9006, "never");
    const release = await slowWithWasmHeld(page);
    await page.goto("/ajukan/dokumen", { waitUntil: "domcontentloaded" });
    const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Foto KTP", exact: true }) });
    await item.locator('input[type="file"]').setInputFiles(photo);
    expect(await page.locator("html").getAttribute("data-hydrated")).toBeNull();
    release();
    await waitUntilInteractive(page, true);
    await item.getByRole("button", { name: "Unggah" }).click();
    await expect(item).toContainText("Sudah diunggah (JPEG");
    const shown = (await item.locator(".document-status").innerText()).match(/(\d+) KB/);
    expect(Number(shown?.[1]) * 1024).toBeLessThan(fs.statSync(photo).size / 2);
  });
});
