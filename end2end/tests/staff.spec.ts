import { test, expect } from "@playwright/test";
import { collectPageErrors, expectNoAxeViolations, expectNoSidewaysScroll, expectTouchSizedTargets, waitUntilInteractive } from "./support";

for (const javaScript of [true, false]) {
  test.describe(javaScript ? "staff sign-in, with JavaScript" : "staff sign-in, without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("a supervisor signs in with a demo account, sees the start page and signs out", async ({ page }) => {
      const errors = collectPageErrors(page);
      await page.goto("/petugas");
      await expect(page).toHaveURL(/\/petugas\/masuk$/);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Masuk petugas");
      await waitUntilInteractive(page, javaScript);
      await expectNoAxeViolations(page, javaScript);

      await page.getByLabel("Nama pengguna").fill("kasi.depok");
      await page.getByLabel("Kata sandi").fill("bukan-sandinya");
      await page.getByRole("button", { name: "Masuk" }).click();
      await expect(page.getByRole("alert")).toContainText("Nama pengguna atau kata sandi salah");
      await expect(page.getByLabel("Nama pengguna")).toHaveValue("kasi.depok");
      await expect(page.getByLabel("Kata sandi")).toHaveValue("");
      await expectNoAxeViolations(page, javaScript);

      await page.getByLabel("Kata sandi").fill("layan-demo-2026");
      await page.getByRole("button", { name: "Masuk" }).click();
      await expect(page).toHaveURL(/\/petugas$/);
      await expect(page.getByText("Selamat bekerja, Bambang Sutrisno.")).toBeVisible();
      await expect(page.getByText("Kepala seksi")).toBeVisible();
      await expect(page.getByText("Kota Depok")).toBeVisible();
      await waitUntilInteractive(page, javaScript);
      await expectNoSidewaysScroll(page);
      await expectTouchSizedTargets(page);
      await expectNoAxeViolations(page, javaScript);

      // The work queues: a tab per step with counts (the apply tests may have added items).
      await page.getByRole("link", { name: "Buka antrean kerja" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Antrean kerja");
      await expect(page.getByRole("navigation", { name: "Daftar antrean" }).getByRole("link")).toHaveCount(6);
      await waitUntilInteractive(page, javaScript);
      await expectNoAxeViolations(page, javaScript);
      // Filtered to counter registrations: a plain GET form, carried by the tabs.
      await page.getByText("Saring antrean").click();
      await page.getByLabel("Jalur").selectOption({ label: "Loket layanan" });
      await page.getByRole("button", { name: "Terapkan" }).click();
      await expect(page).toHaveURL(/jalur=loket/);
      await expect(page.getByLabel("Jalur")).toHaveValue("loket");
      await waitUntilInteractive(page, javaScript);
      await expectNoAxeViolations(page, javaScript);
      await expect(page.getByRole("link", { name: /^Terlambat/ })).toHaveAttribute("href", /jalur=loket/);
      await page.getByRole("link", { name: "Hapus saringan" }).click();
      await page.getByRole("link", { name: /^Terlambat/ }).click();
      await expect(page.getByRole("heading", { level: 2 })).toHaveText("Terlambat");
      await waitUntilInteractive(page, javaScript);
      await expectNoSidewaysScroll(page);
      await expectTouchSizedTargets(page);
      await expectNoAxeViolations(page, javaScript);
      await page.goto("/petugas");
      await page.getByRole("button", { name: "Keluar" }).click();
      await expect(page).toHaveURL(/\/petugas\/masuk$/);
      await page.goto("/petugas");
      await expect(page).toHaveURL(/\/petugas\/masuk$/);
      expect(errors.filter((e) => !/status of 401 /.test(e))).toEqual([]);
    });
  });
}
