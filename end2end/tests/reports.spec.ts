import { test, expect, Page } from "@playwright/test";
import * as fs from "node:fs";
import { collectPageErrors, expectNoAxeViolations, expectNoSidewaysScroll, expectTouchSizedTargets, waitUntilInteractive } from "./support";

async function checkPage(page: Page, javaScript: boolean) {
  await waitUntilInteractive(page, javaScript);
  await expectNoSidewaysScroll(page);
  await expectTouchSizedTargets(page);
  await expectNoAxeViolations(page, javaScript);
}

/** A downloaded file's text and name. */
async function download(page: Page, linkName: string): Promise<{ name: string; text: string }> {
  const [file] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: linkName }).click()]);
  const saved = await file.path();
  return { name: file.suggestedFilename(), text: fs.readFileSync(saved!, "utf8") };
}

for (const javaScript of [true, false]) {
  test.describe(javaScript ? "reports, with JavaScript" : "reports, without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a supervisor opens the dashboard, switches area, downloads a CSV and opens the A4 page", async ({ page }) => {
      const errors = collectPageErrors(page);
      await page.goto("/petugas/masuk");
      await page.getByLabel("Nama pengguna").fill("kasi.depok");
      await page.getByLabel("Kata sandi").fill("layan-demo-2026");
      await page.getByRole("button", { name: "Masuk" }).click();
      await page.getByRole("link", { name: "Laporan layanan" }).click();

      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Laporan layanan");
      await expect(page.locator(".report-scope")).toContainText("Kota Depok");
      await expect(page.getByRole("table").first()).toBeVisible();
      await checkPage(page, javaScript);

      // The district of Puskesos Kelurahan Depok: the page, the link and the village list follow.
      await page.getByLabel("Wilayah (kota/kabupaten atau kecamatan)").selectOption({ label: "— Pancoran Mas" });
      await page.getByRole("button", { name: "Tampilkan" }).click();
      await expect(page).toHaveURL(/wilayah=327601/);
      await expect(page.locator(".report-scope")).toContainText("Pancoran Mas");
      await expect(page.getByLabel("Kelurahan/desa")).toBeVisible();
      await checkPage(page, javaScript);
      const shown = (await page.locator(".report-figures dd").first().innerText()).replace(/\./g, "");

      // The CSV files: UTF-8 with a BOM, the same figures as the page, no names.
      const summary = await download(page, "Unduh CSV: Ringkasan");
      expect(summary.name).toMatch(/^laporan-ringkasan-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
      expect(summary.text.startsWith("\uFEFFUkuran,Jumlah\r\n")).toBe(true);
      expect(summary.text).toContain(`Permohonan diterima,${shown}\r\n`);
      const programs = await download(page, "Unduh CSV: Menurut program");
      expect(programs.text.startsWith("\uFEFFProgram,Permohonan diterima,Disetujui,Ditolak,Dirujuk\r\n")).toBe(true);
      expect(programs.text).not.toMatch(/\d{16}/);

      // Last month, then the A4 page of it.
      await page.getByRole("link", { name: "Bulan lalu" }).click();
      await expect(page).toHaveURL(/wilayah=327601/);
      await page.getByRole("link", { name: "Versi cetak (A4)" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Laporan bulanan layanan sosial");
      await expect(page.locator(".report-scope")).toContainText("Pancoran Mas");
      await checkPage(page, javaScript);
      expect(errors).toEqual([]);
    });

    test("anyone reads the public statistics, with small figures hidden", async ({ page }) => {
      const errors = collectPageErrors(page);
      await page.goto("/");
      await page.getByRole("link", { name: "Statistik layanan" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Statistik layanan sosial");
      await expect(page.getByText("<5: kurang dari lima permohonan.")).toBeVisible();
      await checkPage(page, javaScript);
      expect(errors).toEqual([]);
    });
  });
}
