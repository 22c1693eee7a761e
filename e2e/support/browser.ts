import fs from "node:fs";
import path from "node:path";
import { type Browser, chromium, type Frame, type Page } from "playwright-core";
import { repoRoot } from "./next-server";

export const screenshotDir = path.join(repoRoot, "test-results");

/** Debian's Chromium, headless, with the flags that work on this machine (Playwright gives it a fresh profile). */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

export async function screenshot(page: Page, name: string) {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/**
 * Reloads the page until `check` holds (the app shows what background work produced), or fails
 * after `timeoutMs` saying what it waited for, with `context()` (e.g. the server's log) when given.
 */
export async function reloadUntil(page: Page, check: () => Promise<boolean>, options: { what: string; timeoutMs?: number; context?: () => string }) {
  const deadline = Date.now() + (options.timeoutMs ?? 60_000);
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${options.what}${options.context ? `:\n${options.context()}` : ""}`);
    await page.waitForTimeout(750);
    await page.reload();
  }
}

/** Signs in with the local email sign-in and waits for the organisation home. */
export async function signInWithEmail(page: Page, baseUrl: string, email: string, callbackUrl?: string) {
  await page.goto(`${baseUrl}/login${callbackUrl ? `?callbackUrl=${encodeURIComponent(callbackUrl)}` : ""}`);
  await page.getByLabel("Email").fill(email);
  await page.getByRole("button", { name: "Continue with email" }).click();
}

/** The sandboxed frame of the conversation view, once it has loaded the message body. */
export async function mailFrame(page: Page): Promise<Frame> {
  const handle = await page.getByTestId("mail-frame").elementHandle();
  for (let i = 0; i < 100; i++) {
    const frame = await handle!.contentFrame();
    if (frame && frame.url().includes("/body")) return frame;
    await page.waitForTimeout(100);
  }
  throw new Error("The mail frame never loaded");
}
