import { test, expect, Page } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { collectPageErrors, expectNoAxeViolations, expectNoSidewaysScroll, expectTouchSizedTargets, scanQr, waitUntilInteractive } from "./support";

/** A small real JPEG (drawn by Chromium) and a one-page PDF. */
async function makeFiles(page: Page): Promise<{ jpeg: string; pdf: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layan-counter-"));
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 400;
    const g = canvas.getContext("2d")!;
    g.fillStyle = "#e8f0ef";
    g.fillRect(0, 0, 640, 400);
    g.fillStyle = "#0b5d57";
    g.font = "64px sans-serif";
    g.fillText("KTP", 40, 120);
    return canvas.toDataURL("image/jpeg", 0.9);
  });
  const jpeg = path.join(dir, "ktp.jpg");
  fs.writeFileSync(jpeg, Buffer.from(dataUrl.split(",")[1], "base64"));
  const pdf = path.join(dir, "sktm.pdf");
  fs.writeFileSync(
    pdf,
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
      "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
  );
  return { jpeg, pdf };
}

async function checkPage(page: Page, javaScript: boolean) {
  await waitUntilInteractive(page, javaScript);
  await expectNoSidewaysScroll(page);
  await expectTouchSizedTargets(page);
  await expectNoAxeViolations(page, javaScript);
}

async function signInAs(page: Page, username: string, fullName: string) {
  await page.goto("/petugas/masuk");
  await page.getByLabel("Nama pengguna").fill(username);
  await page.getByLabel("Kata sandi").fill("layan-demo-2026");
  await page.getByRole("button", { name: "Masuk" }).click();
  await expect(page.getByText(`Selamat bekerja, ${fullName}.`)).toBeVisible();
}

async function signOut(page: Page) {
  await page.goto("/petugas");
  await page.getByRole("button", { name: "Keluar" }).click();
  await expect(page).toHaveURL(/\/petugas\/masuk$/);
}

/** Opens the item from a queue tab by its registration number. */
async function openFromQueue(page: Page, queue: string, number: string, javaScript: boolean) {
  await page.goto(`/petugas/antrean?daftar=${queue}`);
  await page.getByRole("link", { name: number, exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Permohonan ${number}`);
  await checkPage(page, javaScript);
}

/** Today in the office's time zone (WIB), as the visit date field wants it. */
function officeToday(): string {
  return new Date(Date.now() + 7 * 3600 * 1000).toISOString().slice(0, 10);
}

for (const javaScript of [true, false]) {
  // Other people than the apply tests' (the runs share one database).
  const person = javaScript
    ? { nik: "3276014107750006", name: "Sumarni", born: "1975-07-01", sex: "Perempuan" }
    : { nik: "3276010304700007", name: "Slamet Riyadi", born: "1970-04-03", sex: "Laki-laki" };

  test.describe(javaScript ? "the back office, with JavaScript" : "the back office, without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a walk-in registration goes from the counter through verification, a visit and a decision", async ({ page }) => {
      test.setTimeout(240_000);
      const errors = collectPageErrors(page);
      await page.goto("/");
      const files = await makeFiles(page);

      // 1. The front-desk officer registers the resident at the counter.
      await signInAs(page, "petugas.depok", "Rina Puspitasari");
      await checkPage(page, javaScript);
      await page.getByLabel("Loket").selectOption({ label: "Puskesos Kelurahan Depok" });
      await page.getByRole("button", { name: "Daftarkan warga yang datang" }).click();
      await expect(page.getByText("Pendaftaran di loket: Puskesos Kelurahan Depok, oleh Rina Puspitasari.")).toBeVisible();
      await checkPage(page, javaScript);
      await page.getByLabel("Untuk saya sendiri").check();
      await page.getByRole("button", { name: "Simpan dan lanjutkan" }).click();

      await page.getByLabel("NIK (Nomor Induk Kependudukan)").fill(person.nik);
      await page.getByLabel("Nama lengkap").fill(person.name);
      await page.getByLabel("Tanggal lahir").fill(person.born);
      await page.getByLabel(person.sex, { exact: true }).check();
      await page.getByLabel("Nomor HP", { exact: true }).fill("0812 7777 8888");
      await page.getByRole("button", { name: "Simpan dan lanjutkan" }).click();

      await expect(page.getByText("Langkah 3 dari 7")).toBeVisible();
      await waitUntilInteractive(page, javaScript);
      const choose = async (label: string, option: string) => {
        await expect(page.getByLabel(label)).toBeEnabled();
        await page.getByLabel(label).selectOption({ label: option });
        if (!javaScript) await page.getByRole("button", { name: "Tampilkan pilihan wilayah berikutnya" }).click();
      };
      await choose("Provinsi", "Jawa Barat");
      await choose("Kabupaten/kota", "Kota Depok");
      await choose("Kecamatan", "Pancoran Mas");
      await expect(page.getByLabel("Desa/kelurahan")).toBeEnabled();
      await page.getByLabel("Desa/kelurahan").selectOption({ label: "Depok" });
      await page.getByLabel("Jalan, gang, atau kampung dan nomor rumah").fill("Gg. Mawar No. 4");
      await page.getByLabel("RT", { exact: true }).fill("3");
      await page.getByLabel("RW", { exact: true }).fill("7");
      await page.getByRole("button", { name: "Simpan dan lanjutkan" }).click();

      await expect(page.getByText("Langkah 4 dari 7")).toBeVisible();
      await page.getByLabel("Nomor KK").fill(javaScript ? "3276010202100004" : "3276010303100005");
      await page.getByRole("button", { name: "Simpan dan lanjutkan" }).click();

      await expect(page.getByText("Langkah 5 dari 7")).toBeVisible();
      await page.getByLabel("Keadaan yang paling sesuai").selectOption({ label: "Fakir Miskin" });
      await page.getByRole("button", { name: "Tampilkan program yang sesuai" }).click();
      await page.getByLabel(/Rehabilitasi Sosial Rumah Tidak Layak Huni/).check();
      await page.getByLabel("Ceritakan keadaannya").fill("Rumah panggung kayu lapuk, lantai tanah di dapur.");
      await page.getByRole("button", { name: "Simpan dan lanjutkan" }).click();

      await expect(page.getByText("Langkah 6 dari 7")).toBeVisible();
      await waitUntilInteractive(page, javaScript);
      for (const [document, file] of [
        ["Foto KTP", files.jpeg],
        ["Foto Kartu Keluarga (KK)", files.jpeg],
        ["Surat Keterangan Tidak Mampu (SKTM) dari kelurahan/desa", files.pdf],
        ["Foto rumah tampak depan", files.jpeg],
      ]) {
        // Each upload with JavaScript reloads the page: wait for it to be live again.
        await waitUntilInteractive(page, javaScript);
        const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: document, exact: true }) });
        await item.locator('input[type="file"]').setInputFiles(file);
        await item.getByRole("button", { name: "Unggah" }).click();
        await expect(item).toContainText("Sudah diunggah");
      }
      await page.getByRole("link", { name: "Simpan dan lanjutkan" }).click();

      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Periksa jawaban Anda");
      await checkPage(page, javaScript);
      await page.getByLabel(/Warga hadir di loket/).check();
      await page.getByRole("button", { name: "Kirim permohonan" }).click();
      await expect(page).toHaveURL(/\/ajukan\/selesai$/);
      const number = (await page.locator("#nomor-registrasi").innerText()).trim();
      await expect(page.locator("#pin")).toHaveText(/^\d{6}$/);
      const pin = (await page.locator("#pin").innerText()).trim();
      const trackingLink = await page.locator("main").getByRole("link", { name: "Lacak permohonan" }).getAttribute("href");
      await expect(page.getByRole("button", { name: "Daftarkan warga berikutnya" })).toBeVisible();
      await checkPage(page, javaScript);
      // The receipt the resident takes home: one A4 page.
      await page.emulateMedia({ media: "print" });
      await expect(page.locator(".receipt")).toBeVisible();
      const a4 = await page.pdf({ format: "A4", printBackground: true });
      expect(a4.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
      await page.emulateMedia({ media: "screen" });
      await signOut(page);

      // 2. A verifier claims it and asks for a correction.
      await signInAs(page, "verifikator.depok", "Agus Hermawan");
      await page.goto("/petugas/antrean?daftar=verifikasi");
      await waitUntilInteractive(page, javaScript);
      const row = page.getByRole("row").filter({ has: page.getByRole("link", { name: number, exact: true }) });
      // With JavaScript the form calls the claim server function; without, it posts the page.
      const claimCall = javaScript ? page.waitForResponse((r) => r.url().endsWith("/api/petugas/ambil")) : null;
      await row.getByRole("button", { name: new RegExp(`^Ambil ${number}`) }).click();
      if (claimCall) expect((await claimCall).status()).toBe(200);
      await expect(page.getByRole("row").filter({ has: page.getByRole("link", { name: number, exact: true }) })).toContainText("Agus Hermawan");
      await openFromQueue(page, "verifikasi", number, javaScript);
      await expect(page.getByText("Anda sedang mengerjakan permohonan ini.")).toBeVisible();
      await expect(page.getByText("Loket Puskesos Kelurahan Depok (petugas: Rina Puspitasari)")).toBeVisible();
      await expect(page.getByText(person.nik)).toBeVisible();
      await expect(page.getByRole("img", { name: "Foto KTP" })).toBeVisible();
      await page.getByRole("link", { name: "Minta warga memperbaiki" }).click();
      await page.getByRole("button", { name: "Kirim permintaan perbaikan" }).click();
      const summary = page.getByRole("alert").filter({ hasText: "Ada yang perlu diperbaiki" });
      await expect(summary).toContainText("Pilih paling sedikit satu bagian");
      await checkPage(page, javaScript);
      await page.getByLabel("Dokumen", { exact: true }).check();
      // Which documents: only those may be replaced from tracking.
      await page.getByRole("checkbox", { name: "Foto Kartu Keluarga (KK)" }).check();
      await page.getByLabel("Pesan untuk warga: apa yang perlu diperbaiki").fill("Foto KK terpotong di bagian bawah. Bawa KK asli ke loket.");
      const moveCall = javaScript ? page.waitForResponse((r) => r.url().endsWith("/api/petugas/langkah")) : null;
      await page.getByRole("button", { name: "Kirim permintaan perbaikan" }).click();
      if (moveCall) expect((await moveCall).status()).toBe(200);
      await expect(page.getByText("Tersimpan: warga diminta memperbaiki permohonan.")).toBeVisible();
      await expect(page.locator(".summary-list").first()).toContainText("Perlu perbaikan");
      await checkPage(page, javaScript);
      await signOut(page);
      // A shared counter PC: Back after sign-out shows the sign-in page, never the review
      // page with the resident's NIK (no page with personal data is kept by the browser).
      for (let i = 0; i < 2; i++) {
        await page.goBack();
        await expect(page.getByRole("heading", { level: 1 })).toHaveText("Masuk petugas");
        await expect(page.getByText(person.nik)).toHaveCount(0);
      }

      // The resident, on their own phone, opens tracking from the receipt's link and PIN.
      const phone = await page.context().browser()!.newContext({ javaScriptEnabled: javaScript, viewport: { width: 360, height: 640 }, locale: "id-ID" });
      const resident = await phone.newPage();
      await resident.goto(new URL(trackingLink!).pathname + new URL(trackingLink!).search);
      await expect(resident.getByLabel("Nomor pendaftaran")).toHaveValue(number.replaceAll("-", ""));
      await resident.getByLabel("PIN").fill("000000");
      await resident.getByRole("button", { name: "Lihat permohonan" }).click();
      await expect(resident.getByRole("alert")).toContainText("Nomor pendaftaran atau PIN tidak cocok");
      await checkPage(resident, javaScript);
      await resident.getByLabel("PIN").fill(pin);
      await resident.getByRole("button", { name: "Lihat permohonan" }).click();
      await expect(resident.getByRole("heading", { level: 1 })).toHaveText(`Permohonan ${number}`);
      await expect(resident.getByRole("heading", { name: "Yang perlu diperbaiki" })).toBeVisible();
      await expect(resident.getByText("Foto KK terpotong di bagian bawah. Bawa KK asli ke loket.", { exact: true })).toBeVisible();
      await expect(resident.getByText("Agus Hermawan")).toHaveCount(0);
      await checkPage(resident, javaScript);
      // 3. They replace just the document asked for, and send the correction back.
      await resident.getByRole("button", { name: "Kirim perbaikan" }).click();
      await expect(resident.getByText("Selesaikan dulu semua yang diminta")).toBeVisible();
      await resident.getByLabel("Pilih berkas baru: Foto Kartu Keluarga (KK)").setInputFiles(files.jpeg);
      await resident.getByRole("button", { name: "Unggah Foto Kartu Keluarga (KK)" }).click();
      const kk = resident.getByRole("listitem").filter({ has: resident.getByRole("heading", { name: "Foto Kartu Keluarga (KK)" }) });
      await expect(kk).toContainText("Sudah diganti");
      await checkPage(resident, javaScript);
      await resident.getByRole("button", { name: "Kirim perbaikan" }).click();
      await expect(resident.locator(".summary-list").first()).toContainText("Diajukan ulang");
      await checkPage(resident, javaScript);
      await phone.close();

      // 4. The verifier sends it on to field assessment.
      await signInAs(page, "verifikator.depok", "Agus Hermawan");
      await openFromQueue(page, "verifikasi", number, javaScript);
      await page.getByRole("link", { name: "Data dan dokumen lengkap: lanjut ke asesmen lapangan" }).click();
      await page.getByRole("button", { name: "Lanjut ke asesmen" }).click();
      await expect(page.locator(".summary-list").first()).toContainText("Asesmen lapangan");
      await signOut(page);

      // 5. The field assessor records the home visit.
      await signInAs(page, "pendamping.depok", "Dewi Lestari");
      await openFromQueue(page, "asesmen", number, javaScript);
      await page.getByLabel("Tanggal kunjungan").fill(officeToday());
      await page.getByLabel("Temuan di lapangan").fill("Dinding kayu lapuk, atap seng bocor, tinggal sendiri.");
      await page.getByLabel("Layak dibantu").check();
      await page.getByRole("button", { name: "Simpan hasil kunjungan" }).click();
      await expect(page.locator(".summary-list").first()).toContainText("Menunggu keputusan");
      await checkPage(page, javaScript);
      await signOut(page);

      // 6. The supervisor approves, naming the aid.
      await signInAs(page, "kasi.depok", "Bambang Sutrisno");
      await openFromQueue(page, "keputusan", number, javaScript);
      await page.getByRole("link", { name: "Setujui", exact: true }).click();
      await page.getByLabel("Bantuan yang diberikan").fill("Bedah rumah");
      await page.getByLabel("Nilai bantuan (Rp, tidak wajib)").fill("20.000.000");
      await page.getByRole("button", { name: "Setujui permohonan" }).click();
      await expect(page.getByText("Tersimpan: permohonan disetujui.")).toBeVisible();
      await expect(page.locator(".summary-list").first()).toContainText("Disetujui");
      const timeline = page.locator(".timeline");
      for (const line of ["Agus Hermawan (Verifikator)", "Dokumen diganti oleh warga: Foto Kartu Keluarga (KK)", "Dewi Lestari (Pendamping / pekerja sosial)", "Bedah rumah (Rp20.000.000)"]) {
        await expect(timeline).toContainText(line);
      }
      await checkPage(page, javaScript);

      // 7. The supervisor prints the decision letter: one A4 page, the role not the name.
      await page.getByRole("link", { name: "Cetak surat keputusan (disetujui)" }).click();
      const letter = page.getByTestId("letter");
      for (const line of ["Keputusan atas permohonan bantuan sosial: DISETUJUI", person.name, "Bedah rumah", "Rp20.000.000", "Kepala Seksi Pelayanan Sosial", number]) {
        await expect(letter).toContainText(line);
      }
      await expect(letter).not.toContainText("Bambang Sutrisno");
      await checkPage(page, javaScript);
      await page.emulateMedia({ media: "print" });
      const pdf = await page.pdf({ format: "A4", printBackground: true });
      await page.emulateMedia({ media: "screen" });
      expect((pdf.toString("latin1").match(/\/Type\s*\/Page[^s]/g) ?? []).length, "the letter prints on one A4 page").toBe(1);

      // A phone scans the printed QR code and opens where it leads.
      const scanned = await scanQr(page, page.locator(".letter-qr"));
      expect(scanned).toMatch(/\/verifikasi\/[A-Za-z0-9_-]{100,}$/);
      const camera = await page.context().browser()!.newContext({ javaScriptEnabled: javaScript, viewport: { width: 360, height: 640 }, locale: "id-ID" });
      const check = await camera.newPage();
      await check.goto(new URL(scanned).pathname);
      await expect(check.getByRole("heading", { level: 1 })).toHaveText("Surat ini ASLI");
      const verified = check.locator(".summary-list");
      await expect(verified).toContainText("Surat keputusan (disetujui)");
      await expect(verified).toContainText("Disetujui");
      await expect(verified).toContainText(person.name.split(" ").map((w) => `${w[0]}.`).join(" "));
      await expect(check.getByText(person.name)).toHaveCount(0);
      await checkPage(check, javaScript);
      // The same code with one character changed is not genuine.
      const code = new URL(scanned).pathname.split("/").pop()!;
      const forged = code.slice(0, 40) + (code[40] === "A" ? "B" : "A") + code.slice(41);
      await check.goto(`/verifikasi/${forged}`);
      await expect(check.getByRole("heading", { level: 1 })).toHaveText("Surat ini TIDAK ASLI");
      await checkPage(check, javaScript);
      await camera.close();
      expect(errors.filter((e) => !/status of (401|422) /.test(e))).toEqual([]);
    });
  });
}
