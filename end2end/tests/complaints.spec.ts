import { test, expect, Page } from "@playwright/test";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { collectPageErrors, expectNoAxeViolations, expectNoSidewaysScroll, expectTouchSizedTargets, waitUntilInteractive } from "./support";

async function checkPage(page: Page, javaScript: boolean) {
  await waitUntilInteractive(page, javaScript);
  await expectNoSidewaysScroll(page);
  await expectTouchSizedTargets(page);
  await expectNoAxeViolations(page, javaScript);
}

/** A small real JPEG, drawn by Chromium: the photo of a counter's notice. */
async function makePhoto(page: Page): Promise<string> {
  const dataUrl = await page.evaluate(() => {
    const canvas = document.createElement("canvas");
    canvas.width = 480;
    canvas.height = 320;
    const g = canvas.getContext("2d")!;
    g.fillStyle = "#fff8e1";
    g.fillRect(0, 0, 480, 320);
    g.fillStyle = "#333";
    g.font = "40px sans-serif";
    g.fillText("TUTUP", 40, 120);
    return canvas.toDataURL("image/jpeg", 0.9);
  });
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "layan-complaint-")), "loket.jpg");
  fs.writeFileSync(file, Buffer.from(dataUrl.split(",")[1], "base64"));
  return file;
}

for (const javaScript of [true, false]) {
  test.describe(javaScript ? "complaints, with JavaScript" : "complaints, without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a complaint about a service point is filed, answered by staff and read by the resident", async ({ page }) => {
      test.setTimeout(180_000);
      const errors = collectPageErrors(page);
      const message = javaScript
        ? "Loket tutup pada jam buka hari Selasa, padahal saya datang pukul 10."
        : "Antrean di loket sangat panjang dan tidak ada kursi untuk lansia.";

      // From the footer of any page.
      await page.goto("/");
      const photo = await makePhoto(page);
      await page.getByRole("link", { name: "Pengaduan dan pertanyaan" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pengaduan dan pertanyaan");
      await checkPage(page, javaScript);

      // Sent with nothing filled in: an error summary, in Indonesian, and nothing sent.
      await page.getByRole("button", { name: "Kirim" }).click();
      await expect(page.getByRole("alert")).toContainText("Pilih jenis pesan");
      await expect(page.getByRole("alert")).toContainText("Tulis pesan Anda, paling sedikit 10 huruf");
      await checkPage(page, javaScript);

      await page.getByLabel("Pengaduan", { exact: true }).check();
      await page.getByLabel("Loket layanan (Puskesos / SLRT)").check();
      const point = await page.locator("option", { hasText: "Puskesos Kelurahan Depok" }).first().getAttribute("value");
      await page.getByLabel("Loket layanan", { exact: true }).selectOption(point!);
      await page.getByLabel("Pesan Anda").fill(message);
      await page.getByLabel("Email").fill("warga.pengadu@example.com");
      await page.getByLabel("Foto pendukung (tidak wajib)").setInputFiles(photo);
      await page.getByRole("button", { name: "Kirim" }).click();

      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pesan Anda sudah diterima");
      const number = (await page.locator("#nomor-pengaduan").innerText()).trim();
      const pin = (await page.locator("#pin-pengaduan").innerText()).trim();
      expect(number).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]$/);
      expect(pin).toMatch(/^\d{6}$/);
      await checkPage(page, javaScript);

      // The front-desk officer of Depok finds it, reads it with its photo, answers and closes it.
      await page.goto("/petugas/masuk");
      await page.getByLabel("Nama pengguna").fill("petugas.depok");
      await page.getByLabel("Kata sandi").fill("layan-demo-2026");
      await page.getByRole("button", { name: "Masuk" }).click();
      await page.getByRole("link", { name: /^Pengaduan( \(\d+\+? terbuka\))?$/ }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Pengaduan");
      await checkPage(page, javaScript);
      await page.getByRole("link", { name: number, exact: true }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Pengaduan ${number}`);
      await expect(page.getByText(message)).toBeVisible();
      await expect(page.getByRole("link", { name: /Buka berkas/ })).toBeVisible();
      await checkPage(page, javaScript);
      // An empty reply is refused with a message at the field.
      await page.getByRole("button", { name: "Kirim jawaban" }).click();
      await expect(page.getByRole("alert")).toContainText("Tulis jawaban");
      await checkPage(page, javaScript);
      const reply = "Terima kasih. Jam buka loket sudah kami tegaskan kepada petugas Puskesos.";
      await page.getByLabel("Jawaban untuk pengirim").fill(reply);
      await page.getByLabel("Urusan ini selesai (tutup setelah menjawab)").check();
      // With JavaScript the reply goes through the answer_complaint server function.
      const replyCall = javaScript ? page.waitForResponse((r) => r.url().endsWith("/api/petugas/jawab")) : null;
      await page.getByRole("button", { name: "Kirim jawaban" }).click();
      if (replyCall) expect((await replyCall).status()).toBe(200);
      await expect(page.getByText("Pengaduan ini sudah selesai.")).toBeVisible();
      await expect(page.locator(".timeline")).toContainText("Rina Puspitasari (Petugas layanan)");
      await page.goto("/petugas");
      await page.getByRole("button", { name: "Keluar" }).click();

      // The resident, with the number and PIN from the receipt, reads the answer.
      await page.goto("/lacak");
      await page.getByLabel("Nomor pendaftaran").fill(number);
      await page.getByLabel("PIN").fill(pin);
      await page.getByRole("button", { name: "Lihat permohonan" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Pengaduan ${number}`);
      await expect(page.locator(".summary-list")).toContainText("Selesai");
      await expect(page.locator(".timeline")).toContainText(reply);
      await expect(page.locator(".timeline")).toContainText("Petugas loket");
      await expect(page.locator("body")).not.toContainText("Rina Puspitasari");
      await checkPage(page, javaScript);
      expect(errors.filter((e) => !/status of (401|422) /.test(e))).toEqual([]);
    });
  });
}
