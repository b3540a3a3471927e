import { test, expect } from "@playwright/test";
import {
  collectPageErrors,
  expectNoAxeViolations,
  expectNoSidewaysScroll,
  expectTouchSizedTargets,
  waitUntilInteractive,
} from "./support";

for (const javaScript of [true, false]) {
  test.describe(javaScript ? "home, with JavaScript" : "home, without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("explains Layan and lists the open programs in Bahasa Indonesia", async ({ page }) => {
      const errors = collectPageErrors(page);
      await page.goto("/");
      await waitUntilInteractive(page, javaScript);

      await expect(page.locator("html")).toHaveAttribute("lang", "id");
      await expect(page).toHaveTitle("Layan · Layanan mandiri Dinas Sosial");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bantuan sosial, tanpa harus antre");
      const programs = page.locator(".programs > li");
      expect(await programs.count()).toBeGreaterThanOrEqual(8);
      const rtlh = page.getByRole("article", { name: "Rehabilitasi Sosial Rumah Tidak Layak Huni (RS-RTLH)" });
      await expect(rtlh).toContainText("Foto rumah tampak depan");
      await expect(rtlh).toContainText("paling lama 30 hari kerja");
      await expect(page.getByText("Bantuan Sosial Tunai (BST) Pandemi")).toHaveCount(0);
      await expect(page.getByRole("link", { name: /idn-area-data/ })).toBeVisible();

      await expectNoSidewaysScroll(page);
      await expectTouchSizedTargets(page);
      await expectNoAxeViolations(page, javaScript);
      expect(errors).toEqual([]);
    });

    test("switches to English and back", async ({ page }) => {
      const errors = collectPageErrors(page);
      await page.goto("/");
      await waitUntilInteractive(page, javaScript);

      await page.getByRole("button", { name: "English" }).click();

      await expect(page.locator("html")).toHaveAttribute("lang", "en");
      await waitUntilInteractive(page, javaScript);
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Social aid, without the queue");
      const rtlh = page.getByRole("article", { name: "Repair of uninhabitable homes (RS-RTLH)" });
      await expect(rtlh).toContainText("Photo of the front of the house");
      await expect(rtlh).toContainText("within 30 working days");
      await expect(page.getByRole("button", { name: "English" })).toHaveCount(0);
      await expectNoSidewaysScroll(page);
      await expectNoAxeViolations(page, javaScript);

      await page.getByRole("button", { name: "Bahasa Indonesia" }).click();
      await expect(page.locator("html")).toHaveAttribute("lang", "id");
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Bantuan sosial, tanpa harus antre");
      expect(errors).toEqual([]);
    });
  });
}

test("an unknown address shows a helpful page with a way home", async ({ page }) => {
  const response = await page.goto("/tidak-ada");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Halaman tidak ditemukan");
  await page.getByRole("link", { name: "Kembali ke beranda" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expectNoAxeViolations(page);
});
