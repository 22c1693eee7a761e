import { eq } from "drizzle-orm";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { memberships, organizations, users } from "@/db/schema";
import { seedDemoWorkspace } from "@/tests/usage/demo-seed";
import { createTestDatabase, type TestDatabase } from "@/tests/support/test-database";
import { launchChromium, screenshot, signInWithEmail } from "./support/browser";
import { ensureProductionBuild, type NextServer, startNextServer } from "./support/next-server";

/*
 * Search and usage in a real browser against `next build` + `next start` on Postgres. The mail and
 * the month of sync runs are seeded through lib functions into the same database the server reads
 * (no mail server needed: sync itself is covered by the linking and sync tests). Jobs are off so the
 * seeded fake mailboxes are never contacted.
 */

const OWNER = "olivia.search@example.test";
const MEMBER = "max.member@example.test";
const PLATFORM_ADMIN = "pat.platform@example.test";

let server: NextServer;
let browser: Browser;
let testDb: TestDatabase;

beforeAll(async () => {
  ensureProductionBuild();
  testDb = await createTestDatabase({ engine: "postgres" });
  server = await startNextServer({ DATABASE_URL: testDb.url!, THREADLINE_PLATFORM_ADMINS: PLATFORM_ADMIN, THREADLINE_JOBS: "off" });
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  await testDb?.close();
});

async function newPage(): Promise<Page> {
  return (await browser.newContext({ viewport: { width: 1360, height: 900 } })).newPage();
}

async function signIn(page: Page, email: string): Promise<string> {
  await signInWithEmail(page, server.url, email);
  await page.waitForURL((url) => url.pathname.split("/").filter(Boolean).length === 1 && !url.pathname.startsWith("/login"));
  return new URL(page.url()).pathname.slice(1);
}

it("searches with operators and sees highlighted results; usage for admins; /admin for platform admins only", async () => {
  const base = server.url;
  const page = await newPage();
  const slug = await signIn(page, OWNER);
  const [org] = await testDb.db.select().from(organizations).where(eq(organizations.slug, slug));
  const [owner] = await testDb.db.select().from(users).where(eq(users.email, OWNER));
  const demo = await seedDemoWorkspace(testDb.db, { orgId: org!.id, ownerId: owner!.id, ownerEmail: OWNER });

  // 1. "/" focuses the top bar's search box; Enter opens the results.
  await page.goto(`${base}/${slug}`);
  // Until the page has hydrated nothing listens for "/", so press it until the search box holds the focus.
  const searchBoxFocused = () => page.evaluate(() => document.activeElement?.getAttribute("type") === "search");
  await expect
    .poll(async () => (await searchBoxFocused()) || (await page.keyboard.press("/"), await searchBoxFocused()))
    .toBe(true);
  await page.keyboard.type("pipeline has:attachment -from:carmen");
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/search\?q=/);
  const results = page.getByTestId("search-result");
  await expect.poll(() => results.count()).toBeGreaterThan(0);
  expect(await page.getByRole("searchbox", { name: "Search" }).inputValue()).toBe("pipeline has:attachment -from:carmen");
  const marks = await page.getByTestId("search-match").allTextContents();
  expect(marks.length).toBeGreaterThan(0);
  expect(marks.every((m) => /pipeline/i.test(m))).toBe(true);
  expect(await page.getByTestId("search-chip").allTextContents()).toEqual(["pipeline", "has:attachment", "-from:carmen"]);
  for (const subject of await page.getByTestId("search-subject").allTextContents()) expect(subject).toMatch(/pipeline/i);
  await screenshot(page, "search-usage-01-results");

  // Messages instead of conversations, newest first: both in the URL.
  await page.getByRole("link", { name: "Messages" }).click();
  await page.waitForURL(/group=messages/);
  await page.getByRole("link", { name: "Newest" }).click();
  await page.waitForURL(/sort=newest/);
  expect(new URL(page.url()).searchParams.get("group")).toBe("messages");
  const dates = await page.locator("[data-testid=search-result] time").evaluateAll((els) => els.map((el) => el.getAttribute("datetime")!));
  expect(dates.length).toBeGreaterThan(1);
  expect([...dates].sort().reverse()).toEqual(dates);
  await screenshot(page, "search-usage-01b-messages-newest");

  // Markup in mail is text: no element injected, no script run.
  await page.goto(`${base}/${slug}/search?q=${encodeURIComponent('"markup test"')}`);
  await expect.poll(() => results.count()).toBe(1);
  expect(await page.getByTestId("search-subject").textContent()).toContain(`<img src=x onerror="document.title='pwned'"> Pipeline <b>markup</b> test`);
  expect(await page.locator("[data-testid=search-results] img, [data-testid=search-results] b, [data-testid=search-results] script").count()).toBe(0);
  expect(await page.title()).not.toBe("pwned");

  // A search that cannot be read says why and where.
  await page.goto(`${base}/${slug}/search?q=${encodeURIComponent("pipeline colour:red")}`);
  expect(await page.getByTestId("search-error").textContent()).toContain("Unknown operator “colour:”");
  await screenshot(page, "search-usage-02-bad-query");

  // 2. Usage for the owner: cards, three charts, the accounts table, drill-down.
  // The shell scrolls inside <main>: a tall window shows the whole page in one screenshot.
  await page.setViewportSize({ width: 1360, height: 1500 });
  await page.goto(`${base}/${slug}/usage`);
  expect(await page.getByTestId("card-messages").textContent()).toContain(String(demo.messages));
  await expect.poll(() => page.locator("[data-testid^=chart-] .recharts-wrapper").count()).toBe(3);
  await expect.poll(() => page.getByTestId("account-usage-row").count()).toBe(3);
  expect(await page.getByTestId("errors-by-kind").textContent()).toContain("Sign-in refused");
  expect(await page.locator("[data-testid=chart-errors] .recharts-legend-wrapper").textContent()).toContain("Throttled by the server");
  await screenshot(page, "search-usage-03-usage");
  await page.setViewportSize({ width: 1360, height: 900 });
  await page.getByRole("button", { name: "Failure rate" }).click();
  await page.waitForURL(/accounts=failureRate\./);
  await page.getByRole("link", { name: "support@acme.example" }).click();
  await page.waitForURL(/\/usage\/accounts\//);
  expect(await page.getByTestId("account-title").textContent()).toBe("support@acme.example");
  await expect.poll(() => page.getByTestId("sync-run-row").count()).toBe(50);
  await page.setViewportSize({ width: 1360, height: 1500 });
  await screenshot(page, "search-usage-04-account-history");

  // The owner is no platform admin: /admin does not exist for them.
  expect((await page.goto(`${base}/admin`))?.status()).toBe(404);

  // 3. A member of the organisation gets "Admins only".
  const member = await newPage();
  await signIn(member, MEMBER);
  const [memberUser] = await testDb.db.select().from(users).where(eq(users.email, MEMBER));
  await testDb.db.insert(memberships).values({ orgId: org!.id, userId: memberUser!.id, role: "member" });
  await member.goto(`${base}/${slug}/usage`);
  expect(await member.getByTestId("usage-admins-only").textContent()).toContain("Admins only");
  await screenshot(member, "search-usage-05-member-usage");

  // 4. The platform admin (THREADLINE_PLATFORM_ADMINS) sees every organisation.
  const admin = await newPage();
  await signIn(admin, PLATFORM_ADMIN);
  await admin.goto(`${base}/admin`);
  expect(await admin.getByTestId("admin-user").textContent()).toBe(PLATFORM_ADMIN);
  await expect.poll(() => admin.getByTestId("org-usage-row").count()).toBe(3);
  await expect.poll(() => admin.locator("[data-testid^=chart-] .recharts-wrapper").count()).toBe(3);
  await screenshot(admin, "search-usage-06-admin");
  await admin.getByRole("link", { name: org!.name }).click();
  await admin.waitForURL(`${base}/admin/orgs/${slug}`);
  await expect.poll(() => admin.getByTestId("account-usage-row").count()).toBe(3);
  await screenshot(admin, "search-usage-07-admin-org");
});
