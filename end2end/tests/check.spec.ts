import { test, expect } from "@playwright/test";
import {
  collectPageErrors,
  expectNoAxeViolations,
  expectNoSidewaysScroll,
  expectTouchSizedTargets,
  waitUntilInteractive,
} from "./support";

for (const javaScript of [true, false]) {
  test.describe(javaScript ? "which aid fits, with JavaScript" : "which aid fits, without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a resident answers the questions and sees the programs that fit, and why", async ({ page }) => {
      const errors = collectPageErrors(page);
      await page.goto("/");
      await waitUntilInteractive(page, javaScript);
      await page.getByRole("link", { name: "Cek bantuan yang sesuai" }).click();

      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Cek bantuan yang sesuai");
      await waitUntilInteractive(page, javaScript);
      await expectNoSidewaysScroll(page);
      await expectTouchSizedTargets(page);
      await expectNoAxeViolations(page, javaScript);

      // Sending with questions unanswered brings the form back with a summary of them.
      await page.getByRole("group", { name: "Berapa usia orang yang membutuhkan bantuan?" }).getByLabel("60 tahun ke atas (lanjut usia)").check();
      await page.getByRole("button", { name: "Lihat bantuan yang sesuai" }).click();
      const summary = page.getByRole("alert").filter({ hasText: "Ada yang perlu diperbaiki" });
      await expect(summary).toBeVisible();
      await expect(summary.getByRole("link")).toHaveCount(7);
      await expect(page.getByLabel("60 tahun ke atas (lanjut usia)")).toBeChecked();
      await waitUntilInteractive(page, javaScript);
      await expectNoAxeViolations(page, javaScript);

      await summary.getByRole("link", { name: "Pilih siapa yang membutuhkan bantuan" }).click();
      await page.getByLabel("Orang lain (keluarga, tetangga, warga yang saya dampingi)").check();
      await page.getByLabel("Di provinsi mana ia tinggal?").selectOption({ label: "Jawa Barat" });
      await page.getByLabel("Rumah rusak atau tidak layak huni").check();
      await page.getByRole("group", { name: "Apakah ia penyandang disabilitas?" }).getByLabel("Tidak").check();
      await page.getByRole("group", { name: "Apakah ia baru saja terkena bencana?" }).getByLabel("Tidak").check();
      await page.getByLabel("Tidak cukup untuk kebutuhan sehari-hari").check();
      await page.getByLabel("Terdaftar sebagai keluarga penerima bantuan sosial (DTSEN)").check();
      await page.getByRole("button", { name: "Lihat bantuan yang sesuai" }).click();

      await expect(page).toHaveURL(/\/cek-bantuan\/hasil$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bantuan yang mungkin sesuai");
      const rtlh = page.getByRole("article", { name: "Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)" });
      await expect(rtlh).toContainText("Sesuai karena: rumah tidak layak huni, penghasilan tidak cukup");
      await expect(rtlh).toContainText("Foto rumah tampak depan");
      await expect(page.getByRole("article", { name: "Bantuan Sosial Korban Bencana" })).toHaveCount(0);
      await expect(page.getByRole("heading", { name: "Tempat layanan di provinsi Anda" })).toBeVisible();
      await expect(page.getByText("Puskesos Kelurahan Depok")).toBeVisible();
      await waitUntilInteractive(page, javaScript);
      await expectNoSidewaysScroll(page);
      await expectNoAxeViolations(page, javaScript);

      // Changing the answers starts from the ones given.
      await page.getByRole("link", { name: "Ubah jawaban" }).click();
      await expect(page.getByLabel("Rumah rusak atau tidak layak huni")).toBeChecked();
      expect(errors).toEqual([]);
    });
  });
}
