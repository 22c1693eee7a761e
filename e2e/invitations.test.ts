import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { launchChromium, screenshot, signInWithEmail } from "./support/browser";
import { ensureProductionBuild, type NextServer, startNextServer } from "./support/next-server";

/*
 * The whole tenancy story in a real browser against `next build` + `next start` (embedded PGlite
 * in a fresh data dir): sign in, land in the personal organisation, invite by link, a second
 * person joins with the member role, and cannot open an organisation they are not in.
 */

let server: NextServer;
let browser: Browser;

beforeAll(async () => {
  ensureProductionBuild();
  server = await startNextServer();
  browser = await launchChromium();
}, 600_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

it("signs in, invites by link, the invitee joins as member and gets 404 elsewhere", async () => {
  const base = server.url;
  const owner = await (await browser.newContext({ viewport: { width: 1360, height: 820 } })).newPage();

  // 1. The owner signs in and lands in their personal organisation.
  await owner.goto(base);
  await owner.waitForURL(/\/login/);
  await screenshot(owner, "01-login");
  await signInWithEmail(owner, base, "olivia.owner@example.test");
  await owner.waitForURL(`${base}/olivia-owner`);
  await expect.poll(() => owner.getByTestId("org-name").textContent()).toBe("Olivia Owner");
  expect(await owner.getByTestId("org-role").textContent()).toBe("Owner");
  await screenshot(owner, "02-owner-home");

  // 2. A second organisation the invitee will never join.
  await owner.goto(`${base}/new`);
  await owner.getByLabel("Name").fill("Secret Projects");
  await owner.getByRole("button", { name: "Create organisation" }).click();
  await owner.waitForURL(`${base}/secret-projects`);

  // 3. An invitation link to the personal organisation.
  await owner.goto(`${base}/olivia-owner/settings/members`);
  await owner.getByRole("button", { name: "Invite", exact: true }).click();
  await owner.getByRole("button", { name: "Create link" }).click();
  const link = await owner.getByTestId("invite-link").inputValue();
  expect(link).toMatch(new RegExp(`^${base}/invite/[A-Za-z0-9_-]{43}$`));
  await screenshot(owner, "03-invite-link");

  // 4. The invitee, in a fresh browser context, opens the link, signs in and joins.
  const invitee = await (await browser.newContext({ viewport: { width: 1360, height: 820 } })).newPage();
  await invitee.goto(link);
  await invitee.getByRole("link", { name: "Sign in to accept" }).click();
  await invitee.waitForURL(/\/login\?callbackUrl=/);
  await invitee.getByLabel("Email").fill("ivan.invitee@example.test");
  await invitee.getByRole("button", { name: "Continue with email" }).click();
  await invitee.waitForURL(link);
  await screenshot(invitee, "04-invite-accept");
  await invitee.getByRole("button", { name: "Join Olivia Owner" }).click();
  await invitee.waitForURL(`${base}/olivia-owner`);
  await expect.poll(() => invitee.getByTestId("org-name").textContent()).toBe("Olivia Owner");
  expect(await invitee.getByTestId("org-role").textContent()).toBe("Member");
  await screenshot(invitee, "05-invitee-home");

  // The members page shows both, with their roles; a member gets no invite button.
  await invitee.goto(`${base}/olivia-owner/settings/members`);
  const rows = invitee.getByTestId("member-row");
  await expect.poll(() => rows.count()).toBe(2);
  expect(await invitee.locator('[data-testid=member-row][data-email="ivan.invitee@example.test"] [data-testid=member-role]').textContent()).toBe("Member");
  expect(await invitee.getByRole("button", { name: "Invite", exact: true }).count()).toBe(0);
  await screenshot(invitee, "06-invitee-members");

  // 5. Another organisation's URL is a 404, page and API alike; the link cannot be reused.
  const page404 = await invitee.goto(`${base}/secret-projects`);
  expect(page404?.status()).toBe(404);
  await expect.poll(() => invitee.getByRole("heading", { name: "Page not found" }).count(), { timeout: 15_000 }).toBe(1);
  await screenshot(invitee, "07-other-org-404");
  const api = await invitee.request.get(`${base}/api/orgs/secret-projects/members`);
  expect(api.status()).toBe(404);
  expect(JSON.stringify(await api.json())).not.toContain("olivia");
  const unknown = await invitee.goto(`${base}/no-such-org`);
  expect(unknown?.status()).toBe(404);

  // The owner sees the new member.
  await owner.goto(`${base}/olivia-owner/settings/members`);
  await expect.poll(() => owner.getByTestId("member-row").count()).toBe(2);
  await screenshot(owner, "08-owner-members");

  // 6. Signing out ends the session: the organisation now sends the owner to sign in.
  await owner.getByTestId("user-menu").click();
  await owner.getByRole("menuitem", { name: "Sign out" }).click();
  await owner.waitForURL(/\/login/);
  await owner.goto(`${base}/olivia-owner`);
  await owner.waitForURL(/\/login\?callbackUrl=%2Folivia-owner/);
});
