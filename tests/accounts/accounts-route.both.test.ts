import { beforeAll, describe, expect, it, vi } from "vitest";
import { GET } from "@/app/api/orgs/[slug]/accounts/route";
import { POST } from "@/app/api/orgs/[slug]/accounts/[accountId]/sync/route";
import { eq } from "drizzle-orm";
import { mailAccounts, mailboxes } from "@/db/schema";
import { inngest } from "@/inngest/client";
import type { AccountsOverview } from "@/lib/accounts/get-accounts-overview";
import { appTestDatabase, seedWorld, signInAs, type World } from "@/tests/tenancy/support";

vi.mock("@/auth", () => ({ auth: vi.fn(async () => null), signIn: vi.fn(), signOut: vi.fn(), handlers: {}, AuthError: Error }));

// The accounts screen's polled route under the guard (runAsOrg: row-level security on Postgres, one
// connection on PGlite), and the palette's "sync now" route refusing cross-site browser requests.

const testDb = appTestDatabase();
let w: World;

beforeAll(async () => {
  w = await seedWorld(testDb.db);
  await testDb.db.insert(mailboxes).values([
    // Initial sync under way: 4 of 10 fetched so far (backfill not done).
    { orgId: w.b.id, accountId: w.b.mailAccount.id, path: "INBOX", name: "INBOX", uidValidity: 7, lastUid: 10, backfillUid: 6, serverCount: 10, syncedCount: 0 },
    { orgId: w.b.id, accountId: w.b.mailAccount.id, path: "Sent", name: "Sent", specialUse: "sent", uidValidity: 7, uidNext: 3, lastUid: 2, serverCount: 2, syncedCount: 2 },
    { orgId: w.b.id, accountId: w.b.mailAccount.id, path: "Later", name: "Later" },
  ]);
}, 60_000);

const get = async (slug: string) => GET(new Request(`http://localhost/api/orgs/${slug}/accounts`), { params: Promise.resolve({ slug }) });

describe("GET /api/orgs/[slug]/accounts", () => {
  it("lists the organisation's mailboxes with per-folder progress, Inbox first, for any member", async () => {
    signInAs(w.b.admin);
    const response = await get(w.b.slug);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as AccountsOverview;
    expect(body.accounts).toHaveLength(1);
    const [account] = body.accounts;
    expect(account!.folderProgress.map((f) => [f.path, f.state, f.total])).toEqual([
      ["INBOX", "syncing", 10],
      ["Sent", "done", 2],
      ["Later", "queued", 0],
    ]);
    expect(account!.folderProgress[0]!.name).toBe("Inbox");
    expect(account!.progress).toMatchObject({ foldersDone: 1, foldersTotal: 3, total: 12, syncing: true });
    expect(account!.canManage).toBe(true);
    expect(JSON.stringify(body)).not.toMatch(/tlenc:|seeded-(access|refresh)-token/);
  });

  it("another organisation's owner gets the same 404 as for no organisation", async () => {
    signInAs(w.a.owner);
    const cross = await get(w.b.slug);
    expect(cross.status).toBe(404);
    expect(await cross.json()).toEqual(await (await get(`nope-${w.b.slug}`)).json());
  });
});

describe("POST /api/orgs/[slug]/accounts/[accountId]/sync", () => {
  const post = (headers: Record<string, string>) =>
    POST(new Request(`http://localhost/api/orgs/${w.b.slug}/accounts/${w.b.mailAccount.id}/sync`, { method: "POST", headers: { host: "localhost", ...headers } }), {
      params: Promise.resolve({ slug: w.b.slug, accountId: w.b.mailAccount.id }),
    });

  it("refuses a browser request from another site, accepts one from this one", async () => {
    signInAs(w.b.member);
    const foreign = await post({ origin: "https://evil.example" });
    expect(foreign.status).toBe(403);
    const same = await post({ origin: "http://localhost" });
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({ requested: true });
  });

  it("commits the account's due mark before the job runner hears of it, so the sync it starts sees the request", async () => {
    signInAs(w.b.member);
    const later = new Date(Date.now() + 3600_000);
    await testDb.db.update(mailAccounts).set({ nextSyncAt: later }).where(eq(mailAccounts.id, w.b.mailAccount.id));
    const seenBySync: (Date | string | null)[] = [];
    const send = vi.spyOn(inngest, "send").mockImplementation(async () => {
      // What the sync job would read when the event reaches it: another connection, not the request's.
      const read = testDb.db.select({ at: mailAccounts.nextSyncAt }).from(mailAccounts).where(eq(mailAccounts.id, w.b.mailAccount.id));
      const timedOut = new Promise<"blocked">((resolve) => setTimeout(() => resolve("blocked"), 3000));
      const result = await Promise.race([read, timedOut]);
      seenBySync.push(result === "blocked" ? "blocked" : (result[0]?.at ?? null));
      return { ids: ["test"] };
    });
    try {
      const response = await post({ origin: "http://localhost" });
      expect(response.status).toBe(200);
      expect(send).toHaveBeenCalledTimes(1);
      expect(seenBySync).toHaveLength(1);
      expect(seenBySync[0]).toBeInstanceOf(Date);
      expect((seenBySync[0] as Date).getTime()).toBeLessThan(later.getTime() - 60_000);
    } finally {
      send.mockRestore();
    }
  });
});
