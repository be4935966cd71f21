/**
 * The state page in a real headless Chromium (Debian's `chromium` package, driven by playwright-core, which never
 * downloads a browser of its own). scripts/install-chromium.sh finds or installs the browser; only when that is
 * impossible (no apt-get, not root, no package registry) is the suite skipped, with the reason printed.
 *
 * The page is opened the way a person would: with the emulator's control token (the guard applies to a browser
 * too), after building an account with the emulator's API. The test checks the DOM (the objects are there, the
 * hostile text is text, no script ran) and a full-page screenshot (its size, that it is not blank, that the page's
 * own colours were painted).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, type TestEmulator } from "../helpers/emulator";
import { pixelShares, readPng } from "../helpers/png";
import { HOSTILE, demoAccount, type DemoAccount } from "./message-fixtures";

const ROOT = path.resolve(__dirname, "../..");
const TOKEN = "browser-test-token";
/** the same flags a person starting Chromium by hand for this would use */
const CHROMIUM_FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

function findChromium(): { path?: string; reason?: string } {
  try {
    const out = execFileSync("bash", [path.join(ROOT, "scripts/install-chromium.sh")], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
      timeout: 900_000,
    });
    return { path: out.trim().split("\n").pop() };
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    return { reason: (e.stderr || e.message).trim().split("\n").slice(-3).join(" | ") };
  }
}

const chromium = findChromium();
if (!chromium.path) console.warn(`[state-page.browser] SKIPPED: no Chromium could be found or installed: ${chromium.reason}`);

describe.skipIf(!chromium.path)("state page in headless Chromium", () => {
  let e: TestEmulator;
  let d: DemoAccount;
  let profileDir: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let context: any;

  beforeAll(async () => {
    e = await startTestEmulator({ controlToken: TOKEN });
    d = await demoAccount(e); // the test client sends the control token
    profileDir = mkdtempSync(path.join(tmpdir(), "emu-chromium-")); // a new, empty profile every run
    const { chromium: driver } = await import("playwright-core");
    context = await driver.launchPersistentContext(profileDir, {
      executablePath: chromium.path,
      headless: true,
      args: CHROMIUM_FLAGS,
      viewport: { width: 1280, height: 900 },
      offline: false,
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await e?.close();
    if (profileDir) rmSync(profileDir, { recursive: true, force: true });
  });

  it("without the control token the browser gets a 401, not the page", async () => {
    const page = await context.newPage();
    const res = await page.goto(`${e.url}/__emulator/`);
    expect(res.status()).toBe(401);
    expect(await page.locator("h1").count()).toBe(0);
    await page.close();
  });

  it("renders the account, escapes hostile text, runs no script; the screenshot shows the page", async () => {
    const page = await context.newPage();
    await page.setExtraHTTPHeaders({ "x-emulator-token": TOKEN });
    const dialogs: string[] = [];
    page.on("dialog", (dlg: { message(): string; dismiss(): Promise<void> }) => {
      dialogs.push(dlg.message());
      void dlg.dismiss();
    });
    const res = await page.goto(`${e.url}/`); // redirected to /__emulator/
    expect(res.status()).toBe(200);
    expect(page.url()).toBe(`${e.url}/__emulator/`);
    expect(await page.title()).toBe(`Plivo emulator · ${e.authId}`);
    expect(await page.locator("h1").textContent()).toBe("Plivo emulator");

    const row = (section: string, first: string) => page.locator(`section#${section} tr`, { has: page.locator(`td:first-child:text-is("${first}")`) });
    const sf = await row("numbers", d.sf).locator("td").allTextContents();
    expect(sf).toEqual(expect.arrayContaining([d.sf, "support-pool", "COMPLETED", d.campaign, `support (${d.app})`]));
    expect(await row("registrations", d.brand).locator("td").last().textContent()).toMatch(/^PROCESSING \(submit\) → COMPLETED \(control\)$/);
    expect(await row("registrations", d.tfv).locator("td").nth(3).textContent()).toBe("APPROVED");
    expect(await row("account", "support-pool").locator("td").last().textContent()).toContain(`${d.sf} (fixed)`);
    expect(await page.locator("section#ledger td", { hasText: /^buy$/ }).count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator("section#requests td", { hasText: `/v1/Account/${e.authId}/Message/` }).count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator("section#messages td", { hasText: /^Your order shipped$/ }).count()).toBe(1);

    // hostile text shows as text: no element was made of it, no script ran (CSP), the title is untouched
    expect(await page.locator("section#messages td", { hasText: HOSTILE }).count()).toBe(1);
    expect(await page.locator("section#numbers td", { hasText: HOSTILE }).count()).toBe(1);
    expect(await page.evaluate(() => document.querySelectorAll("script, img").length)).toBe(0);
    expect(await page.title()).not.toContain("pwned");
    expect(dialogs).toEqual([]);

    const png = await page.screenshot({ fullPage: true });
    const out = path.join(ROOT, "test-results");
    mkdirSync(out, { recursive: true });
    writeFileSync(path.join(out, "state-page.png"), png);
    const image = readPng(png);
    expect(image.width).toBe(1280);
    expect(image.height).toBeGreaterThan(1200); // a full page: every section, not one screen
    const shares = pixelShares(image, [0x32, 0x3d, 0xfe]); // the page's blue (header rule and title)
    expect(shares.notBackground).toBeGreaterThan(0.05); // text, table rules, badges
    expect(shares.near).toBeGreaterThan(0.0005);
    await page.close();
  }, 60_000);
});
