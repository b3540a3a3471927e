import { BrowserContext, expect, Locator, Page } from "@playwright/test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const jsqrSource = readFileSync(require.resolve("jsqr/dist/jsQR.js"), "utf8");

/**
 * What a phone's camera reads from the QR code inside `qr` (an element holding an SVG): the
 * image drawn on a canvas in a separate script-enabled page and decoded by jsQR, so the test
 * goes where the printed code leads, not where the page says it leads.
 */
export async function scanQr(page: Page, qr: Locator): Promise<string> {
  const svg = await qr.innerHTML();
  const browser = page.context().browser();
  if (!browser) throw new Error("no browser");
  const camera = await browser.newContext({ javaScriptEnabled: true });
  try {
    const reader = await camera.newPage();
    await reader.setContent('<canvas id="c" width="600" height="600"></canvas>');
    await reader.addScriptTag({ content: jsqrSource });
    const text = await reader.evaluate(async (svg: string) => {
      const image = new Image();
      image.src = "data:image/svg+xml;base64," + btoa(svg);
      await image.decode();
      const canvas = document.getElementById("c") as HTMLCanvasElement;
      const g = canvas.getContext("2d")!;
      g.fillStyle = "#fff";
      g.fillRect(0, 0, 600, 600);
      g.drawImage(image, 0, 0, 600, 600);
      const pixels = g.getImageData(0, 0, 600, 600);
      // @ts-ignore jsQR is injected above
      const found = jsQR(pixels.data, 600, 600);
      return found ? (found.data as string) : null;
    }, svg);
    if (!text) throw new Error("no QR code could be read");
    return text;
  } finally {
    await camera.close();
  }
}

/**
 * Runs axe-core (WCAG 2.1 A and AA rules, plus best practices) on what the page shows and
 * fails on any violation.
 *
 * axe needs JavaScript; a page opened with JavaScript off is checked by replaying its exact
 * HTML in a second, script-enabled page whose own scripts are blocked, so what axe sees is
 * what a resident without JavaScript got.
 */
export async function expectNoAxeViolations(page: Page, javaScript = true) {
  let target = page;
  let replay: BrowserContext | undefined;
  if (!javaScript) {
    const html = await page.content();
    const url = page.url();
    const browser = page.context().browser();
    if (!browser) throw new Error("no browser");
    replay = await browser.newContext({ javaScriptEnabled: true, viewport: page.viewportSize() ?? undefined });
    target = await replay.newPage();
    await target.route("**/*", (route) => {
      const request = route.request();
      if (request.url() === url && request.resourceType() === "document") {
        return route.fulfill({ status: 200, contentType: "text/html; charset=utf-8", body: html });
      }
      if (["script", "fetch", "xhr"].includes(request.resourceType()) || request.url().endsWith(".wasm")) {
        return route.abort();
      }
      return route.continue();
    });
    await target.goto(url);
  }
  try {
    await target.evaluate(axeSource);
    const violations = await target.evaluate(async () => {
      // @ts-ignore axe is injected above
      const result = await axe.run(document, {
        runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] },
      });
      return result.violations.map((v: any) => ({
        id: v.id,
        help: v.help,
        nodes: v.nodes.map((n: any) => n.target.join(" ")),
      }));
    });
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
  } finally {
    await replay?.close();
  }
}

/** Layout is measured once the style sheet is in: a page's text can be there before it, and
 * a page with islands asks for its script chunks alongside it. */
async function styled(page: Page) {
  await page.waitForLoadState("load");
  await page.waitForFunction(() => [...document.styleSheets].some((sheet) => sheet.href?.endsWith("/pkg/layan.css")));
}

/** Nothing sticks out sideways at the phone's width. */
export async function expectNoSidewaysScroll(page: Page) {
  await styled(page);
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

/** Every button and button-styled link is at least 44 px tall, so a thumb can hit it. */
export async function expectTouchSizedTargets(page: Page) {
  await styled(page);
  for (const target of await page.locator("button, a.button, .lang-switch button").all()) {
    if (!(await target.isVisible())) continue;
    // Measured in view: on a scrolled mobile page a box above the fold comes back clipped.
    await target.scrollIntoViewIfNeeded();
    const box = await target.boundingBox();
    if (box) expect(box.height, await target.innerText()).toBeGreaterThanOrEqual(44);
  }
}

/** Collects console errors and uncaught exceptions (hydration mismatches, CSP refusals),
 * each with the address of the document it came from (a page, or a frame inside it). */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const at = msg.location().url;
    errors.push(at ? `${msg.text()} [in ${at}]` : msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  return errors;
}

/** With JavaScript on, waits until the WebAssembly has hydrated the page — on a page with
 * islands; a page without any loads no script at all, so there is nothing to wait for. */
export async function waitUntilInteractive(page: Page, javaScript: boolean) {
  if (javaScript && (await page.locator("leptos-island").count()) > 0) {
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  }
}

/**
 * The latest text message to `phone` (+62…) whose words match `pattern`, waiting for it:
 * from fakesmsc's output (what the operator's network received from Kannel) when the test
 * command runs Kannel, else from the files Layan writes without a gateway.
 */
export async function textTo(phone: string, pattern: RegExp, timeoutMs = 30_000): Promise<string> {
  const fs = await import("node:fs");
  const path = await import("node:path");
  const log = process.env.LAYAN_E2E_SMS_LOG ?? "";
  const dir = process.env.LAYAN_E2E_SMS_DIR ?? "";
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const texts: string[] = [];
    if (log) {
      const out = fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "";
      for (const line of out.split("\n")) {
        // "Got message 3: <DINSOS +6281234567890 text Dinsos: Kode …>"
        const m = line.match(/Got message \d+: <(\S+) (\S+) text (.*)>$/);
        if (m && m[2] === phone) texts.push(m[3]);
      }
    } else if (fs.existsSync(dir)) {
      const files = fs.readdirSync(dir).sort((a, b) => parseInt(a) - parseInt(b));
      for (const file of files) {
        const [to, text] = fs.readFileSync(path.join(dir, file), "utf8").split("\n\n");
        if (to === phone) texts.push(text.trim());
      }
    }
    const found = texts.filter((t) => pattern.test(t)).pop();
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no text to ${phone} matching ${pattern}: ${JSON.stringify(texts)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/**
 * A camera-sized JPEG (2400×1800, drawn by Chromium itself so the tests need no image tools;
 * noise makes it as large as a real photo), with `label` written on it, saved as `name`.
 */
export async function drawPhoto(page: Page, name: string, label = ""): Promise<string> {
  const dataUrl = await page.evaluate((label) => {
    const canvas = document.createElement("canvas");
    canvas.width = 2400;
    canvas.height = 1800;
    const g = canvas.getContext("2d")!;
    const image = g.createImageData(2400, 1800);
    for (let i = 0; i < image.data.length; i += 4) {
      const v = (i * 2654435761) >>> 24;
      image.data[i] = v;
      image.data[i + 1] = (v * 3) & 255;
      image.data[i + 2] = (v * 7) & 255;
      image.data[i + 3] = 255;
    }
    g.putImageData(image, 0, 0);
    g.fillStyle = "#0b5d57";
    g.font = "200px sans-serif";
    g.fillText(label, 200, 400);
    return canvas.toDataURL("image/jpeg", 0.92);
  }, label);
  const file = join(mkdtempSync(join(tmpdir(), "layan-photo-")), name);
  writeFileSync(file, Buffer.from(dataUrl.split(",")[1], "base64"));
  return file;
}
