import { test, expect, Page } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  collectPageErrors,
  drawPhoto,
  expectNoAxeViolations,
  expectNoSidewaysScroll,
  expectTouchSizedTargets,
  textTo,
  waitUntilInteractive,
} from "./support";

/**
 * A real camera-sized JPEG (2400×1800, drawn by Chromium itself so the test needs no image
 * tools), a real one-page PDF, and a Windows program renamed to .jpg.
 */
async function makeFiles(page: Page): Promise<{ jpeg: string; pdf: string; exe: string }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "layan-files-"));
  const jpeg = await drawPhoto(page, "ktp.jpg", "KTP");
  const pdf = path.join(dir, "sktm.pdf");
  fs.writeFileSync(
    pdf,
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
      "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
  );
  const exe = path.join(dir, "foto.jpg");
  fs.writeFileSync(exe, Buffer.concat([Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff", "latin1"), Buffer.alloc(2048)]));
  return { jpeg, pdf, exe };
}

async function checkPage(page: Page, javaScript: boolean) {
  await waitUntilInteractive(page, javaScript);
  await expectNoSidewaysScroll(page);
  await expectTouchSizedTargets(page);
  await expectNoAxeViolations(page, javaScript);
}

async function saveAndContinue(page: Page) {
  await page.getByRole("button", { name: "Simpan dan lanjutkan" }).click();
}

for (const javaScript of [true, false]) {
  // Different people, so the two runs (which share a database) are not duplicates.
  const person = javaScript
    ? { nik: "3276015505870003", name: "Siti Nurhaliza", born: "1987-05-15", sex: "Perempuan", member: "3276011203100002", phone: "0812 3456 7890", mobile: "+6281234567890" }
    : { nik: "3276011203800004", name: "Budi Santoso", born: "1980-03-12", sex: "Laki-laki", member: "3276015708120003", phone: "0812 3456 7891", mobile: "+6281234567891" };

  test.describe(javaScript ? "applying, with JavaScript" : "applying, without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a resident goes from the eligibility check to a printed receipt", async ({ page }) => {
      test.setTimeout(180_000);
      const errors = collectPageErrors(page);
      await page.goto("/");
      const files = await makeFiles(page);

      // 1. Which aid fits, then straight into the application for one of the programs.
      await page.goto("/cek-bantuan");
      await page.getByLabel(javaScript ? "Orang lain (keluarga, tetangga, warga yang saya dampingi)" : "Saya sendiri").check();
      await page.getByLabel("Di provinsi mana ia tinggal?").selectOption({ label: "Jawa Barat" });
      await page.getByLabel("60 tahun ke atas (lanjut usia)").check();
      await page.getByRole("group", { name: "Apakah ia penyandang disabilitas?" }).getByLabel("Tidak").check();
      await page.getByRole("group", { name: "Apakah ia baru saja terkena bencana?" }).getByLabel("Tidak").check();
      await page.getByLabel("Rumah rusak atau tidak layak huni").check();
      await page.getByLabel("Tidak cukup untuk kebutuhan sehari-hari").check();
      await page.getByLabel("Terdaftar sebagai keluarga penerima bantuan sosial (DTSEN)").check();
      await page.getByRole("button", { name: "Lihat bantuan yang sesuai" }).click();
      const rtlh = page.getByRole("article", { name: "Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)" });
      await rtlh.getByRole("link", { name: /Ajukan program ini/ }).click();

      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ajukan permohonan bantuan");
      await expect(page.getByText("Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)").first()).toBeVisible();
      await checkPage(page, javaScript);
      await page.getByRole("button", { name: "Mulai" }).click();

      // 2. Who is applying: the check's answer is already chosen.
      await expect(page.getByText("Langkah 1 dari 7")).toBeVisible();
      await checkPage(page, javaScript);
      if (javaScript) {
        // For a neighbour who cannot consent (too ill to speak). Sending only half of it
        // shows the summary.
        await expect(page.getByLabel("Untuk orang lain (keluarga, tetangga, atau warga yang saya dampingi)")).toBeChecked();
        await saveAndContinue(page);
        await expect(page.getByRole("alert").filter({ hasText: "Ada yang perlu diperbaiki" })).toContainText("Masukkan nama Anda (yang mengajukan)");
        await checkPage(page, javaScript);
        await page.getByLabel("Nama Anda").fill("Ahmad Fauzi");
        await page.getByLabel("Hubungan Anda dengan orang tersebut").selectOption("tetangga");
        await page.getByLabel("Nomor HP Anda").fill("0813 1111 2222");
        await page.getByLabel("Orang tersebut tidak dapat memberi persetujuan").check();
        await page.getByLabel("Mengapa tidak dapat memberi persetujuan?").fill("Beliau sakit stroke dan tidak dapat berbicara.");
      } else {
        await expect(page.getByLabel("Untuk saya sendiri")).toBeChecked();
      }
      await saveAndContinue(page);

      // 3. The person: a birth date that contradicts the NIK is caught at its field.
      await expect(page.getByText("Langkah 2 dari 7")).toBeVisible();
      await waitUntilInteractive(page, javaScript);
      await page.getByLabel("NIK (Nomor Induk Kependudukan)").fill(person.nik);
      if (javaScript) {
        await expect(page.getByText(/NIK terbaca: lahir/)).toContainText(person.sex);
      }
      await page.getByLabel("Nama lengkap").fill(`<script>alert(1)</script>`);
      await page.getByLabel("Tanggal lahir").fill("1990-01-01");
      await page.getByLabel(person.sex, { exact: true }).check();
      await page.getByLabel("Nomor HP", { exact: true }).fill(person.phone);
      await saveAndContinue(page);
      const summary = page.getByRole("alert").filter({ hasText: "Ada yang perlu diperbaiki" });
      await expect(summary).toContainText("Tanggal lahir tidak sama dengan yang tertulis di NIK");
      await expect(summary).toContainText("Nama hanya berisi huruf");
      await expect(page.getByLabel("NIK (Nomor Induk Kependudukan)")).toHaveValue(person.nik);
      await checkPage(page, javaScript);
      await page.getByLabel("Nama lengkap").fill(person.name);
      await page.getByLabel("Tanggal lahir").fill(person.born);
      await saveAndContinue(page);

      // 4. Address: each list narrows the next (a round-trip without JavaScript).
      await expect(page.getByText("Langkah 3 dari 7")).toBeVisible();
      await checkPage(page, javaScript);
      const choose = async (label: string, option: string) => {
        await expect(page.getByLabel(label)).toBeEnabled();
        await page.getByLabel(label).selectOption({ label: option });
        if (!javaScript) await page.getByRole("button", { name: "Tampilkan pilihan wilayah berikutnya" }).click();
      };
      // The check's province is already chosen, so its regencies are listed.
      await expect(page.getByLabel("Provinsi")).toHaveValue("32");
      await choose("Kabupaten/kota", "Kota Depok");
      await choose("Kecamatan", "Pancoran Mas");
      await expect(page.getByLabel("Desa/kelurahan")).toBeEnabled();
      await page.getByLabel("Desa/kelurahan").selectOption({ label: "Depok" });
      await page.getByLabel("Jalan, gang, atau kampung dan nomor rumah").fill("Jl. Melati Gg. 3 No. 12");
      await page.getByLabel("RT", { exact: true }).fill("5");
      await page.getByLabel("RW", { exact: true }).fill("12");
      await saveAndContinue(page);

      // 5. Household from the KK: add a member, then continue.
      await expect(page.getByText("Langkah 4 dari 7")).toBeVisible();
      await page.getByLabel("Nomor KK").fill("3276010101090001");
      await page.getByLabel("NIK anggota").fill(person.member);
      await page.getByLabel("Nama anggota").fill("Rina Lestari");
      await page.getByLabel("Hubungan dalam keluarga").selectOption("anak");
      await page.getByRole("button", { name: "Tambah anggota" }).click();
      await expect(page.getByRole("listitem").filter({ hasText: "Rina Lestari" })).toContainText("Anak");
      await checkPage(page, javaScript);
      await saveAndContinue(page);

      // 6. The need: the program from the link is already chosen.
      await expect(page.getByText("Langkah 5 dari 7")).toBeVisible();
      await page.getByLabel("Keadaan yang paling sesuai").selectOption({ label: "Fakir Miskin" });
      await page.getByRole("button", { name: "Tampilkan program yang sesuai" }).click();
      await expect(page.getByLabel(/Rehabilitasi Sosial Rumah Tidak Layak Huni/)).toBeChecked();
      await expect(page.getByLabel(/Asistensi Rehabilitasi Sosial Anak/)).toHaveCount(0);
      await page.getByLabel("Ceritakan keadaannya").fill("Atap rumah bocor setiap hujan dan dinding bagian belakang retak.");
      await checkPage(page, javaScript);
      await saveAndContinue(page);

      // 7. Documents: a lying file is refused; real photos and PDFs are accepted.
      await expect(page.getByText("Langkah 6 dari 7")).toBeVisible();
      await checkPage(page, javaScript);
      const upload = async (document: string, file: string) => {
        const item = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: document, exact: true }) });
        await item.locator('input[type="file"]').setInputFiles(file);
        await item.getByRole("button", { name: "Unggah" }).click();
        return item;
      };
      const refused = await upload("Foto KTP", files.exe);
      await expect(refused).toContainText("Berkas harus foto (JPEG, PNG, atau WebP) atau PDF");
      await expect(refused).toContainText("Belum diunggah");
      const ktp = await upload("Foto KTP", files.jpeg);
      await expect(ktp).toContainText("Sudah diunggah (JPEG");
      if (javaScript) {
        // Downscaled on the phone: far smaller than the 2400×1800 original.
        const original = fs.statSync(files.jpeg).size;
        const shown = (await ktp.locator(".document-status").innerText()).match(/(\d+) KB/);
        expect(Number(shown?.[1]) * 1024).toBeLessThan(original / 2);
      }
      await expect(await upload("Foto Kartu Keluarga (KK)", files.pdf)).toContainText("Sudah diunggah (PDF");
      await expect(await upload("Surat Keterangan Tidak Mampu (SKTM) dari kelurahan/desa", files.pdf)).toContainText("Sudah diunggah");
      await expect(await upload("Foto rumah tampak depan", files.jpeg)).toContainText("Sudah diunggah");
      // Replacing a document keeps one file for it.
      await expect(await upload("Foto Kartu Keluarga (KK)", files.jpeg)).toContainText("Sudah diunggah (JPEG");
      await checkPage(page, javaScript);
      await page.getByRole("link", { name: "Simpan dan lanjutkan" }).click();

      // 8. Check your answers, declaration, and a double tap on submit.
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Periksa jawaban Anda");
      await expect(page.getByText(person.name)).toBeVisible();
      await expect(page.getByText("Jl. Melati Gg. 3 No. 12, RT 005 / RW 012, Depok, Pancoran Mas, Kota Depok, Jawa Barat")).toBeVisible();
      await checkPage(page, javaScript);
      await page.getByRole("button", { name: "Kirim permohonan" }).click();
      await expect(page.getByRole("alert").filter({ hasText: "Ada yang perlu diperbaiki" })).toContainText("Centang pernyataan");
      const key = await page.locator('input[name="kunci"]').inputValue();
      await page.getByLabel(/Saya menyatakan data yang saya isi benar/).check();
      await page.getByRole("button", { name: "Kirim permohonan" }).dblclick();

      // 9. Confirmation and receipt.
      await expect(page).toHaveURL(/\/ajukan\/selesai$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Permohonan terkirim");
      const number = (await page.locator("#nomor-registrasi").innerText()).trim();
      expect(number).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]$/);
      await expect(page.locator("#pin")).toHaveText(/^\d{6}$/);
      await expect(page.locator("#tanggal-keputusan")).toHaveText(/^\d{4}-\d{2}-\d{2}$/);
      await expect(page.getByRole("img", { name: "Kode QR untuk membuka halaman pelacakan" })).toBeVisible();
      await expect(page.locator("main").getByRole("link", { name: "Lacak permohonan" })).toHaveAttribute("href", new RegExp(`/lacak\\?nomor=${number.replaceAll("-", "")}$`));
      await checkPage(page, javaScript);
      if (javaScript) await expect(page.getByRole("button", { name: "Cetak tanda terima" })).toBeVisible();

      // The same post again (a retry after a timeout) finds the same application.
      const retry = await page.request.post("/ajukan/kirim", { form: { kunci: key, pernyataan: "ya" }, maxRedirects: 0 });
      expect(retry.status()).toBe(303);
      expect(retry.headers()["location"]).toBe("/ajukan/selesai");
      await page.reload();
      await expect(page.locator("#nomor-registrasi")).toHaveText(number);

      // Printed: the receipt alone, on one A4 page and on a 58 mm roll.
      await page.emulateMedia({ media: "print" });
      await expect(page.locator(".site-header")).toBeHidden();
      await expect(page.locator("main").getByRole("link", { name: "Lacak permohonan" })).toBeHidden();
      await expect(page.locator(".receipt")).toBeVisible();
      const a4 = await page.pdf({ format: "A4", printBackground: true });
      expect(a4.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
      const roll = await page.pdf({ width: "58mm", height: "200mm", printBackground: true });
      expect(roll.toString("latin1").match(/\/Type\s*\/Page[^s]/g)?.length).toBe(1);
      // 10. A shared phone: the resident deletes the receipt from this phone. Back and
      // reload then show no PIN and no NIK, and the answers do not come back.
      await page.emulateMedia({ media: "screen" });
      await page.getByText("Hapus tanda terima dari HP ini").click();
      await page.getByRole("button", { name: "Hapus dari HP ini" }).click();
      await expect(page.getByText("Sudah dihapus dari HP ini.")).toBeVisible();
      await checkPage(page, javaScript);
      await page.goBack();
      await expect(page).toHaveURL(/\/ajukan\/selesai$/);
      await expect(page.locator("#pin")).toHaveCount(0);
      await expect(page.getByText(number)).toHaveCount(0);
      await page.reload();
      await expect(page.locator("#pin")).toHaveCount(0);
      await page.goto("/ajukan/periksa");
      await expect(page.getByText(person.nik)).toHaveCount(0);
      await expect(page.getByText(person.name)).toHaveCount(0);

      // 11. The number and PIN went with the receipt: recovered by a code texted to the
      // phone on the application (read from what the operator's network received).
      await page.goto("/lacak");
      await page.getByRole("link", { name: "Lewat SMS ke nomor HP Anda" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Buka permohonan lewat SMS");
      await checkPage(page, javaScript);
      await page.getByLabel("Nomor HP").fill("0812");
      await page.getByRole("button", { name: "Kirim kode" }).click();
      await expect(page.getByRole("alert")).toContainText("Tulis nomor HP Indonesia");
      await checkPage(page, javaScript);
      await page.getByLabel("Nomor HP").fill(person.phone);
      await page.getByRole("button", { name: "Kirim kode" }).click();
      await expect(page.getByRole("status")).toContainText("SMS berisi kode sudah kami kirim");
      await checkPage(page, javaScript);
      const sms = await textTo(person.mobile, /Kode \d{6}/);
      expect(sms).toContain(number);
      const code = sms.match(/Kode (\d{6})/)![1];
      await page.getByLabel("Kode dari SMS").fill(code === "000000" ? "111111" : "000000");
      await page.getByRole("button", { name: "Buka", exact: true }).click();
      await expect(page.getByRole("alert")).toContainText("Kode salah");
      await checkPage(page, javaScript);
      await page.getByLabel("Kode dari SMS").fill(code);
      await page.getByRole("button", { name: "Buka", exact: true }).click();
      await expect(page).toHaveURL(/\/lacak\/daftar$/);
      await expect(page.locator("strong", { hasText: number })).toBeVisible();
      await checkPage(page, javaScript);
      await page.getByRole("button", { name: `Lihat ${number}` }).click();
      await expect(page.getByRole("heading", { level: 1 })).toContainText(number);
      await page.getByRole("button", { name: "Buat PIN baru" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("PIN baru");
      const newPin = (await page.getByTestId("new-pin").innerText()).trim();
      expect(newPin).toMatch(/^\d{6}$/);
      await checkPage(page, javaScript);
      await page.getByRole("link", { name: "Kembali ke permohonan" }).click();

      // 12. "Data saya" (opened by the person's own phone): everything kept on the
      // application, and a file of it to keep.
      await page.getByRole("link", { name: "Data saya: semua yang kami simpan tentang permohonan ini" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Data saya");
      await expect(page.locator("dd", { hasText: person.nik }).first()).toBeVisible();
      await expect(page.getByRole("heading", { name: "Dibuka oleh petugas" })).toBeVisible();
      await checkPage(page, javaScript);
      const download = page.waitForEvent("download");
      await page.getByRole("link", { name: "Unduh sebagai file (JSON)" }).click();
      const file = await download;
      expect(file.suggestedFilename()).toBe(`data-saya-${number}.json`);
      const saved = JSON.parse(fs.readFileSync((await file.path())!, "utf8"));
      expect(saved.number).toBe(number);
      expect(saved.person.nik).toBe(person.nik);
      expect(saved.documents.length).toBeGreaterThan(0);
      await page.getByRole("link", { name: "Kembali ke permohonan" }).click();

      // 13. The person withdraws their consent: the page says what follows (still open: the
      // application is withdrawn), then it is.
      await page.getByRole("link", { name: "Tarik persetujuan atas data saya" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Tarik persetujuan");
      await expect(page.getByText("permohonan dicabut dan tidak diproses lagi")).toBeVisible();
      await checkPage(page, javaScript);
      await page.getByRole("button", { name: "Ya, tarik persetujuan" }).click();
      await expect(page).toHaveURL(/\/lacak\/permohonan$/);
      await expect(page.locator(".summary-list")).toContainText("Dicabut");

      // The new PIN opens tracking like the receipt's did.
      await page.getByRole("button", { name: "Selesai (tutup di perangkat ini)" }).click();
      await page.getByLabel("Nomor pendaftaran").fill(number);
      await page.getByLabel("PIN", { exact: true }).fill(newPin);
      await page.getByRole("button", { name: "Lihat permohonan" }).click();
      await expect(page).toHaveURL(/\/lacak\/permohonan$/);
      await expect(page.getByRole("heading", { level: 1 })).toContainText(number);
      if (javaScript) {
        // Made for a neighbour: the number and PIN show how it goes, not the person's data.
        await expect(page.getByText("Anda mengajukan permohonan ini untuk orang lain")).toBeVisible();
        await expect(page.getByRole("link", { name: /^Data saya/ })).toHaveCount(0);
      }

      // Rejected answers come back with 422 (and a refused file with 415, a wrong code
      // with 401), by design.
      expect(errors.filter((e) => !/status of (422|415|401) /.test(e))).toEqual([]);
    });
  });
}
