import { BrowserContext, expect, Page } from "@playwright/test";
import { readFileSync } from "node:fs";

const axeSource = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

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

/** Nothing sticks out sideways at the phone's width. */
export async function expectNoSidewaysScroll(page: Page) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
  }));
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
}

/** Every button and button-styled link is at least 44 px tall, so a thumb can hit it. */
export async function expectTouchSizedTargets(page: Page) {
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

/** With JavaScript on, waits until the WebAssembly has hydrated the page. */
export async function waitUntilInteractive(page: Page, javaScript: boolean) {
  if (javaScript) {
    await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  }
}
