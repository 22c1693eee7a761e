import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { MAIL_ACTIONS, MESSAGE_ROUTES } from "./mail-cases";
import { appTestDatabase, HTTP_METHODS, isServerActionFile, repoRoot, seedWorld, signInAs, tenancySnapshot, walkApp, type World } from "./support";

vi.mock("@/auth", () => ({
  auth: vi.fn(async () => null),
  signIn: vi.fn(),
  signOut: vi.fn(),
  handlers: { GET: vi.fn(), POST: vi.fn() },
  AuthError: class AuthError extends Error {},
}));

/*
 * Every route handler and every server action in app/ is called as a member (owner, even) of
 * organisation A against organisation B: each must refuse (404 without revealing that B exists,
 * 401 signed out) and change nothing. A new route or action without an entry below fails the
 * "covers every …" tests, so nothing tenant-facing ships untested.
 */

export type RouteCase =
  | { exempt: string }
  | {
      methods: Partial<
        Record<
          (typeof HTTP_METHODS)[number],
          {
            /** Route params besides the slug (B's object ids), also filled into the URL. */
            params?: (w: World) => Record<string, string>;
            /** The body is parsed as JSON when the answer says so, else passed as text. */
            control: (w: World) => { user: { id: string }; expect: (body: unknown, response: Response) => void };
          }
        >
      >;
    };

const ROUTES: Record<string, RouteCase> = {
  "api/auth/[...nextauth]/route.ts": { exempt: "Auth.js sign-in endpoints: no organisation, no tenant data." },
  "api/inngest/route.ts": {
    exempt: "Inngest's endpoint: no user session; calls are signed (INNGEST_SIGNING_KEY) or refused over HTTP in in-process mode (inngest/serve.ts).",
  },
  "api/orgs/[slug]/members/route.ts": {
    methods: {
      GET: {
        control: (w) => ({
          user: w.b.member,
          expect: (body) => {
            const emails = (body as { members: { email: string }[] }).members.map((m) => m.email).sort();
            expect(emails).toEqual([w.b.admin.email, w.b.member.email, w.b.owner.email].sort());
          },
        }),
      },
    },
  },
  "api/orgs/[slug]/contacts/route.ts": {
    methods: {
      // No q in the URL: nobody. Matches per organisation: tests/screens/contacts-route.both.test.ts.
      GET: { control: (w) => ({ user: w.b.member, expect: (body) => expect(body).toEqual({ contacts: [] }) }) },
    },
  },
  "api/orgs/[slug]/search/route.ts": {
    methods: {
      // No q in the URL: the empty answer. Results per organisation: tests/search/search-route.test.ts.
      GET: { control: (w) => ({ user: w.b.member, expect: (body) => expect(body).toEqual({ status: "empty" }) }) },
    },
  },
  ...MESSAGE_ROUTES,
  "api/orgs/[slug]/accounts/route.ts": {
    methods: {
      GET: {
        control: (w) => ({
          user: w.b.member,
          expect: (body) => expect((body as { accounts: { id: string }[] }).accounts.map((a) => a.id)).toEqual([w.b.mailAccount.id]),
        }),
      },
    },
  },
  "api/orgs/[slug]/accounts/[accountId]/sync/route.ts": {
    methods: {
      POST: {
        params: (w) => ({ accountId: w.b.mailAccount.id }),
        control: (w) => ({ user: w.b.member, expect: (body) => expect(body).toMatchObject({ requested: true }) }),
      },
    },
  },
  "api/orgs/[slug]/invitations/route.ts": {
    methods: {
      GET: {
        control: (w) => ({
          user: w.b.admin,
          expect: (body) => {
            const ids = (body as { invitations: { id: string }[] }).invitations.map((i) => i.id).sort();
            expect(ids).toEqual([w.b.invitation.id, w.b.adminInvitation.id].sort());
          },
        }),
      },
    },
  },
};

type ActionFn = (input: unknown) => Promise<{ data?: unknown; serverError?: { code: string }; validationErrors?: unknown } | undefined>;

export type ActionCase =
  | { exempt: string }
  | {
      kind: "org";
      /** Input aimed at B's objects, with B's slug. */
      input: (w: World) => Record<string, unknown>;
      /** B's own member with enough rights: the same input must succeed (proves the refusal is the guard's). */
      control: (w: World) => { id: string };
      /** The input names no object of B, so under A's slug it acts on A (legitimately); B stays unchanged. Why. */
      ownOrgOnly?: string;
      /** The control's success writes nothing (a redirect, a connection test). Why. */
      readOnly?: string;
    }
  | {
      kind: "user";
      /** Attempts by A's owner to reach into B through a user-level action, each refused with `code`. */
      attacks: (w: World) => { input: Record<string, unknown>; code: string }[];
      control: (w: World) => { user: { id: string }; input: Record<string, unknown> };
    };

const MEMBERS = "(dashboard)/[slug]/settings/members/actions.ts";
const ACCOUNTS = "(dashboard)/[slug]/accounts/actions.ts";
// A loopback server: refused by the host check, so the action answers without any network.
const IMAP_SETTINGS = { host: "127.0.0.1", port: 993, security: "tls", user: "someone@example.test", password: "not-a-real-password" };

/** Rows of a snapshot that belong to one organisation. */
function orgRows(snapshot: Awaited<ReturnType<typeof tenancySnapshot>>, orgId: string) {
  return {
    organizations: snapshot.organizations.filter((o) => o.id === orgId),
    memberships: snapshot.memberships.filter((m) => m.orgId === orgId),
    invitations: snapshot.invitations.filter((i) => i.orgId === orgId),
    mailAccounts: snapshot.mailAccounts.filter((a) => a.orgId === orgId),
    blockedSenders: snapshot.blockedSenders.filter((b) => b.orgId === orgId),
    remoteImageSenders: snapshot.remoteImageSenders.filter((r) => r.orgId === orgId),
  };
}
const ACTIONS: Record<string, ActionCase> = {
  [`${MEMBERS}#createInvitationAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, role: "member", email: "" }),
    control: (w) => w.b.admin,
    ownOrgOnly: "Creates an invitation to the organisation in the slug.",
  },
  [`${MEMBERS}#revokeInvitationAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, invitationId: w.b.invitation.id }),
    control: (w) => w.b.admin,
  },
  [`${MEMBERS}#changeMemberRoleAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, userId: w.b.member.id, role: "admin" }),
    control: (w) => w.b.owner,
  },
  [`${MEMBERS}#removeMemberAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, userId: w.b.member.id }),
    control: (w) => w.b.admin,
  },
  [`${ACCOUNTS}#startOAuthLinkAction`]: {
    kind: "org",
    // Reconnecting B's mailbox. The link flow's return is checked again (tests/linking/oauth-link).
    input: (w) => ({ slug: w.b.slug, provider: "gmail", accountId: w.b.mailAccount.id }),
    control: (w) => w.b.member,
    readOnly: "Only sets Auth.js's flow cookies and returns the provider's URL (signIn is mocked here).",
  },
  [`${ACCOUNTS}#testImapConnectionAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, settings: IMAP_SETTINGS }),
    control: (w) => w.b.member,
    ownOrgOnly: "Names no object: tests a connection for the organisation in the slug.",
    readOnly: "Stores nothing; the control gets the refused-host answer (no IMAP server here).",
  },
  [`${ACCOUNTS}#linkImapAccountAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, settings: IMAP_SETTINGS }),
    control: (w) => w.b.member,
    ownOrgOnly: "Names no object: links a mailbox to the organisation in the slug.",
    readOnly: "The control gets the refused-host answer before anything is stored (tests/linking links for real).",
  },
  [`${ACCOUNTS}#syncAccountNowAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, accountId: w.b.mailAccount.id }),
    control: (w) => w.b.member,
  },
  [`${ACCOUNTS}#unlinkAccountAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, accountId: w.b.mailAccount.id, deleteData: false }),
    control: (w) => w.b.admin,
  },
  [`${ACCOUNTS}#setAccountPausedAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, accountId: w.b.mailAccount.id, paused: true }),
    control: (w) => w.b.member,
  },
  [`${ACCOUNTS}#resyncFolderAction`]: {
    kind: "org",
    // Every folder of B's mailbox (a per-folder resync across organisations: tests/accounts).
    input: (w) => ({ slug: w.b.slug, accountId: w.b.mailAccount.id }),
    control: (w) => w.b.member,
  },
  ...MAIL_ACTIONS,
  "new/actions.ts#createOrganizationAction": {
    kind: "user",
    attacks: (w) => [{ input: { name: "Takeover", slug: w.b.slug }, code: "conflict" }],
    control: (w) => ({ user: w.a.owner, input: { name: "Fresh", slug: `fresh-${w.a.slug}` } }),
  },
  "invite/[token]/actions.ts#acceptInvitationAction": {
    kind: "user",
    attacks: (w) => [
      { input: { token: "x".repeat(43) }, code: "not_found" },
      { input: { token: w.b.revoked.token }, code: "conflict" },
    ],
    control: (w) => ({ user: w.outsider, input: { token: w.b.invitation.token } }),
  },
  "login/actions.ts#signInWithEmail": { exempt: "Signs in through Auth.js; touches no organisation." },
  "login/actions.ts#signInWithProvider": { exempt: "Redirects to Google/Microsoft; touches no organisation." },
  "login/actions.ts#signOutAction": { exempt: "Clears the session cookie; touches no organisation." },
};

const testDb = appTestDatabase();

beforeAll(async () => {
  // Linking Gmail needs the Google client configured (prepareOAuthLink refuses otherwise).
  vi.stubEnv("AUTH_GOOGLE_ID", "test-google-client");
  vi.stubEnv("AUTH_GOOGLE_SECRET", "test-google-secret");
});

afterAll(async () => {
  vi.unstubAllEnvs();
});

describe("route handlers", () => {
  const files = walkApp((rel) => /(^|\/)route\.tsx?$/.test(rel));

  it("covers every route handler in app/ (add new routes to ROUTES)", () => {
    expect(files.length).toBeGreaterThan(0);
    expect(files, "every app/**/route.ts needs an entry in ROUTES: a cross-tenant case, or `exempt` with the reason").toEqual(Object.keys(ROUTES).sort());
  });

  for (const file of files) {
    const entry = ROUTES[file];
    if (!entry || "exempt" in entry) continue;
    describe(file, () => {
      it("declares a case for every HTTP method it exports", async () => {
        const mod = await import(path.join(repoRoot, "app", file));
        expect(HTTP_METHODS.filter((m) => typeof mod[m] === "function").sort()).toEqual(Object.keys(entry.methods).sort());
      });

      for (const [method, spec] of Object.entries(entry.methods)) {
        it(`${method}: 404 for another organisation's member, same as for no organisation; 401 signed out; nothing changes`, async () => {
          const mod = await import(path.join(repoRoot, "app", file));
          const w = await seedWorld(testDb.db);
          const extra = spec!.params?.(w) ?? {};
          const call = (slug: string) => {
            const params: Record<string, string> = { ...extra, slug };
            const url = file.replace(/\/route\.tsx?$/, "").replace(/\[(\w+)\]/g, (_all, name: string) => encodeURIComponent(params[name] ?? name));
            return mod[method](new Request(`http://localhost/${url}`, { method }), { params: Promise.resolve(params) });
          };
          const before = await tenancySnapshot(testDb.db);

          signInAs(w.a.owner);
          const cross = await call(w.b.slug);
          const missing = await call(`nope-${w.b.slug}`);
          // B's object ids under A's slug, where the attacker is owner: the data layer's org filter
          // and, under it, row-level security (runAsOrg) must both hide them.
          const smuggled = spec!.params ? await call(w.a.slug) : null;
          signInAs(null);
          const signedOut = await call(w.b.slug);

          expect(cross.status).toBe(404);
          expect(missing.status).toBe(404);
          expect(await cross.json()).toEqual(await missing.json());
          expect(signedOut.status).toBe(401);
          if (smuggled) expect(smuggled.status).toBe(404);
          expect(await tenancySnapshot(testDb.db)).toEqual(before);

          const control = spec!.control(w);
          signInAs(control.user);
          const allowed = await call(w.b.slug);
          expect(allowed.status).toBe(200);
          const json = (allowed.headers.get("content-type") ?? "").includes("json");
          control.expect(json ? await allowed.json() : await allowed.text(), allowed);
        });
      }
    });
  }
});

describe("server actions", () => {
  const files = walkApp((rel, source) => isServerActionFile(source));

  it("covers every server action in app/ (add new actions to ACTIONS)", async () => {
    const exported: string[] = [];
    for (const file of files) {
      const mod = await import(path.join(repoRoot, "app", file));
      for (const [name, value] of Object.entries(mod)) if (typeof value === "function") exported.push(`${file}#${name}`);
    }
    expect(exported.length).toBeGreaterThan(0);
    expect(exported.sort(), "every exported server action needs an entry in ACTIONS: a cross-tenant case, or `exempt` with the reason").toEqual(Object.keys(ACTIONS).sort());
  });

  for (const [key, entry] of Object.entries(ACTIONS)) {
    if ("exempt" in entry) continue;
    const [file, name] = key.split("#") as [string, string];
    const load = async () => (await import(path.join(repoRoot, "app", file)))[name] as ActionFn;

    if (entry.kind === "org") {
      it(`${key}: refused for A's owner against B (404), for an unknown slug (404) and signed out (401); nothing changes`, async () => {
        const action = await load();
        const w = await seedWorld(testDb.db);
        const input = entry.input(w);
        const before = await tenancySnapshot(testDb.db);

        signInAs(w.a.owner);
        const cross = await action(input);
        const missing = await action({ ...input, slug: `nope-${w.b.slug}` });
        // B's object ids under A's slug, where the attacker is owner: the data layer must filter by org.
        const smuggled = await action({ ...input, slug: w.a.slug });
        signInAs(null);
        const signedOut = await action(input);

        expect(cross?.serverError).toMatchObject({ code: "not_found" });
        expect(missing?.serverError).toEqual(cross?.serverError);
        if (!entry.ownOrgOnly) expect(smuggled?.serverError).toMatchObject({ code: "not_found" });
        expect(signedOut?.serverError).toMatchObject({ code: "unauthorized" });
        const after = await tenancySnapshot(testDb.db);
        if (entry.ownOrgOnly) {
          // Under A's slug this legitimately acts on A, never on B.
          expect(orgRows(after, w.b.id)).toEqual(orgRows(before, w.b.id));
          expect(smuggled?.data).toBeDefined();
        } else {
          expect(after).toEqual(before);
        }

        signInAs(entry.control(w));
        const beforeControl = await tenancySnapshot(testDb.db);
        const allowed = await action(input);
        expect(allowed?.serverError).toBeUndefined();
        expect(allowed?.validationErrors).toBeUndefined();
        expect(allowed?.data).toBeDefined();
        if (!entry.readOnly) expect(await tenancySnapshot(testDb.db)).not.toEqual(beforeControl);
      });
    } else {
      it(`${key}: A's owner cannot reach B through it; nothing changes`, async () => {
        const action = await load();
        const w = await seedWorld(testDb.db);
        const before = await tenancySnapshot(testDb.db);
        signInAs(w.a.owner);
        for (const attack of entry.attacks(w)) {
          const result = await action(attack.input);
          expect(result?.serverError, JSON.stringify(attack.input)).toMatchObject({ code: attack.code });
        }
        signInAs(null);
        expect((await action(entry.control(w).input))?.serverError).toMatchObject({ code: "unauthorized" });
        expect(await tenancySnapshot(testDb.db)).toEqual(before);

        const control = entry.control(w);
        signInAs(control.user);
        const allowed = await action(control.input);
        expect(allowed?.serverError).toBeUndefined();
        expect(allowed?.data).toBeDefined();
      });
    }
  }
});
