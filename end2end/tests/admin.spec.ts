import { test, expect, Page } from "@playwright/test";
import { collectPageErrors, expectNoAxeViolations, expectNoSidewaysScroll, expectTouchSizedTargets, waitUntilInteractive } from "./support";

async function checkPage(page: Page, javaScript: boolean) {
  await waitUntilInteractive(page, javaScript);
  await expectNoSidewaysScroll(page);
  await expectTouchSizedTargets(page);
  await expectNoAxeViolations(page, javaScript);
}

for (const javaScript of [true, false]) {
  // Each run its own program (the runs share one database).
  const code = javaScript ? "sembako-darurat-js" : "sembako-darurat";
  const name = javaScript ? "Bantuan Sembako Darurat (uji JS)" : "Bantuan Sembako Darurat";

  test.describe(javaScript ? "administration, with JavaScript" : "administration, without JavaScript", () => {
    test.use({ javaScriptEnabled: javaScript });

    test("an administrator adds a program, and residents find it in the aid check and the application", async ({ page }) => {
      test.setTimeout(120_000);
      const errors = collectPageErrors(page);
      await page.goto("/petugas/masuk");
      await page.getByLabel("Nama pengguna").fill("admin.demo");
      await page.getByLabel("Kata sandi").fill("layan-demo-2026");
      await page.getByRole("button", { name: "Masuk" }).click();
      await page.getByRole("link", { name: "Administrasi" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Administrasi");
      await checkPage(page, javaScript);
      await page.getByRole("link", { name: "Program bantuan" }).click();
      await checkPage(page, javaScript);
      await page.getByRole("link", { name: "Tambah program" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Program baru");
      await checkPage(page, javaScript);

      // Saving it half-filled names what is missing and keeps what was typed.
      await page.getByLabel("Kode program").fill(code);
      await page.getByRole("button", { name: "Simpan" }).click();
      const summary = page.getByRole("alert").filter({ hasText: "Ada yang perlu diperbaiki" });
      await expect(summary).toContainText("Pilih paling sedikit satu dokumen.");
      await expect(page.getByLabel("Kode program")).toHaveValue(code);
      await checkPage(page, javaScript);

      await page.getByLabel("Nama (Bahasa Indonesia)").fill(name);
      await page.getByLabel("Nama (bahasa Inggris)").fill("Emergency food parcels");
      await page.getByLabel("Ringkasan (Bahasa Indonesia)").fill("Paket sembako untuk keluarga korban bencana yang kehilangan penghasilan.");
      await page.getByLabel("Ringkasan (bahasa Inggris)").fill("Food parcels for disaster-hit families who lost their income.");
      await page.getByRole("group", { name: "Kategori PPKS yang dilayani" }).getByLabel("Fakir Miskin", { exact: true }).check();
      const documents = page.getByRole("group", { name: "Dokumen yang diminta" });
      await documents.getByLabel("Foto KTP").check();
      await documents.getByLabel("Surat Keterangan Tidak Mampu (SKTM) dari kelurahan/desa").check();
      await page.getByLabel("Tenggat keputusan (hari kerja)").fill("5");
      const rule = page.getByRole("group", { name: "Aturan 1" });
      await rule.getByRole("group", { name: "Bencana" }).getByLabel("Ya, bencana alam (banjir, longsor, gempa, kebakaran)").check();
      await rule.getByRole("group", { name: "Penghasilan" }).getByLabel("Tidak ada penghasilan").check();
      await page.getByRole("button", { name: "Simpan" }).click();

      await expect(page.getByText("Perubahan disimpan.")).toBeVisible();
      await expect(page.getByRole("link", { name, exact: true })).toBeVisible();
      await checkPage(page, javaScript);
      await page.goto("/petugas/admin/riwayat");
      await expect(page.getByText(`create program ${code}`, { exact: true })).toBeVisible();
      await checkPage(page, javaScript);
      // The other settings' pages, as an administrator sees them.
      for (const path of [
        "/petugas/admin/kategori",
        "/petugas/admin/kategori/24",
        "/petugas/admin/titik-layanan",
        "/petugas/admin/titik-layanan-baru",
        "/petugas/admin/libur",
        "/petugas/admin/petugas",
        "/petugas/admin/petugas-baru",
        "/petugas/admin/pembatasan",
        "/petugas/admin/pemberitahuan",
      ]) {
        await page.goto(path);
        await expect(page.getByRole("heading", { level: 1 })).not.toHaveText("Halaman tidak ditemukan");
        await checkPage(page, javaScript);
      }
      // A breach notice without its words is refused with a summary, and nothing is prepared.
      await page.getByLabel("Isi pemberitahuan").fill("Bocor");
      await page.getByRole("button", { name: "Siapkan (belum dikirim)" }).click();
      await expect(page.getByRole("alert")).toContainText("paling sedikit 40 karakter");
      await checkPage(page, javaScript);
      // An account's page: what it does and where, and the buttons to end it or reset it.
      await page.goto("/petugas/admin/petugas");
      await page.getByRole("link", { name: "Rina Puspitasari" }).click();
      await expect(page.getByRole("heading", { level: 1 })).toHaveText("Ubah akun: Rina Puspitasari");
      await expect(page.getByLabel("Petugas layanan (loket)")).toBeChecked();
      await expect(page.getByRole("button", { name: "Nonaktifkan akun" })).toBeVisible();
      await checkPage(page, javaScript);
      await page.goto("/petugas");
      await page.getByRole("button", { name: "Keluar" }).click();

      // A resident hit by a flood, with no income: the check offers the new program.
      await page.goto("/cek-bantuan");
      await waitUntilInteractive(page, javaScript);
      await page.getByLabel("Orang lain (keluarga, tetangga, warga yang saya dampingi)").check();
      await page.getByLabel("Di provinsi mana ia tinggal?").selectOption({ label: "Jawa Barat" });
      await page.getByRole("group", { name: "Berapa usia orang yang membutuhkan bantuan?" }).getByLabel("60 tahun ke atas (lanjut usia)").check();
      await page.getByRole("group", { name: "Apakah ia penyandang disabilitas?" }).getByLabel("Tidak").check();
      await page.getByLabel("Ya, bencana alam (banjir, longsor, gempa, kebakaran)").check();
      await page.getByLabel("Rumah rusak atau tidak layak huni").check();
      await page.getByLabel("Tidak ada penghasilan").check();
      await page.getByLabel("Terdaftar sebagai keluarga penerima bantuan sosial (DTSEN)").check();
      await page.getByRole("button", { name: "Lihat bantuan yang sesuai" }).click();
      const card = page.getByRole("article", { name, exact: true });
      await expect(card).toContainText("Sesuai karena:");
      await expect(card).toContainText("Foto KTP");
      await checkPage(page, javaScript);

      // …and its application starts with that program chosen.
      await card.getByRole("link").click();
      await expect(page).toHaveURL(new RegExp(`/ajukan\\?program=${code}$`));
      await expect(page.getByRole("heading", { level: 2, name, exact: true })).toBeVisible();
      await checkPage(page, javaScript);
      // The one refusal was the half-filled form's (422, by design).
      expect(errors.filter((e) => !/status of 422 /.test(e))).toEqual([]);
    });
  });
}
