import { describe, expect, test } from "vitest";
import { addSample, formatDuration, rateOf, secondsLeft } from "@/components/accounts/sync-rate";
import { paletteItems } from "@/components/command-palette/palette-items";
import { explainAccountProblem } from "@/lib/accounts/explain-account-problem";

const base = {
  status: "active" as const,
  statusReason: null,
  unlinked: false,
  authKind: "password" as const,
  provider: "imap" as const,
  errorKind: null,
  lastErrorAt: null,
  nextRunAt: null,
  retryAt: null,
  consecutiveFailures: 0,
};

describe("explainAccountProblem", () => {
  test("a healthy mailbox needs no words", () => {
    expect(explainAccountProblem(base)).toBeNull();
  });

  test("wrong password on an IMAP mailbox: reconnect with the new password, raw answer kept as detail", () => {
    const p = explainAccountProblem({ ...base, status: "reconnect_needed", statusReason: "Authentication failed: [AUTHENTICATIONFAILED] Authentication failed.", errorKind: "auth" });
    expect(p).toMatchObject({ action: "password", tone: "warn" });
    expect(p!.title).toMatch(/refused the stored password/);
    expect(p!.title).not.toMatch(/AUTHENTICATIONFAILED/);
    expect(p!.detail).toMatch(/AUTHENTICATIONFAILED/);
  });

  test("revoked OAuth consent: reconnect, naming the provider", () => {
    const p = explainAccountProblem({ ...base, status: "reconnect_needed", authKind: "oauth2", provider: "gmail", statusReason: "invalid_grant" });
    expect(p).toMatchObject({ action: "reconnect" });
    expect(p!.title).toMatch(/^Google no longer accepts/);
  });

  test("throttled: wait, with the time of the next attempt", () => {
    const retry = new Date(Date.now() + 10 * 60_000);
    const p = explainAccountProblem({ ...base, status: "syncing", statusReason: "Server is throttling or unavailable: [UNAVAILABLE] Try later", errorKind: "throttled", nextRunAt: retry, consecutiveFailures: 1 });
    expect(p).toMatchObject({ action: "wait", retryAt: retry.toISOString() });
    expect(p!.title).toMatch(/throttled/);
  });

  test("a folder the server refuses is named; paused and unlinked say how to come back", () => {
    expect(explainAccountProblem({ ...base, status: "error", statusReason: "Shared/Team: Server error: NO [NOPERM] no access", errorKind: "protocol", consecutiveFailures: 3 })!.title).toMatch(/“Shared\/Team”/);
    expect(explainAccountProblem({ ...base, status: "paused", statusReason: "Paused by Ann." })).toMatchObject({ action: "resume", tone: "neutral" });
    expect(explainAccountProblem({ ...base, status: "paused", unlinked: true })).toMatchObject({ action: "relink" });
  });
});

describe("sync rate and time left", () => {
  test("messages per second over the recent window, and the time left at that rate", () => {
    let samples = addSample([], { at: 0, synced: 0 });
    expect(rateOf(samples)).toBeNull();
    samples = addSample(samples, { at: 2_000, synced: 400 });
    expect(rateOf(samples)).toBe(200);
    expect(secondsLeft(200, 400, 1_400)).toBe(5);
    expect(formatDuration(5)).toBe("5 s");
    expect(formatDuration(150)).toBe("3 min");
  });

  test("old samples leave the window; a count that goes down (resync) starts over", () => {
    let samples = [{ at: 0, synced: 0 }, { at: 1_000, synced: 1_000 }];
    samples = addSample(samples, { at: 20_000, synced: 1_100 });
    expect(samples).toEqual([{ at: 20_000, synced: 1_100 }]);
    samples = addSample(addSample(samples, { at: 21_000, synced: 1_200 }), { at: 22_000, synced: 0 });
    expect(samples).toEqual([{ at: 22_000, synced: 0 }]);
  });
});

describe("command palette items", () => {
  const accounts = [
    { id: "a1", emailAddress: "ann@example.test", status: "active" as const, unlinked: false, messages: 3 },
    { id: "a2", emailAddress: "bob@example.test", status: "paused" as const, unlinked: false, messages: 0 },
  ];
  test("screens, mailboxes, sync now for every mailbox that can sync, and the shortcuts", () => {
    const items = paletteItems("acme", "", accounts);
    expect(items.filter((i) => i.group === "Go to").map((i) => [i.label, i.hint])).toEqual([
      ["Home", "g h"],
      ["Contacts", "g c"],
      ["Companies", undefined],
      ["Search", undefined],
      ["Accounts", "g a"],
      ["Settings", "g s"],
      ["Usage", undefined],
    ]);
    expect(items.filter((i) => i.group === "Actions").map((i) => i.label)).toEqual(["Sync now: ann@example.test", "Keyboard shortcuts"]);
    expect(paletteItems("acme", "help", accounts).map((i) => i.id)).toEqual(["shortcuts", "search-contacts", "search-mail"]);
    expect(items.find((i) => i.id === "account-a2")?.action).toEqual({ kind: "navigate", href: "/acme/accounts#account-a2" });
  });

  test("people the server found come right after the screens that match, and only for a typed text", () => {
    const bob = { id: "c1", name: "Bob Stone", email: "bob@acme.test" };
    const nameless = { id: "c2", name: null, email: "contacts@acme.test" };
    const items = paletteItems("acme", "cont", accounts, [bob, nameless]);
    expect(items.map((i) => [i.group, i.label, i.hint])).toEqual([
      ["Go to", "Contacts", "g c"],
      ["Contacts", "Bob Stone", "bob@acme.test"],
      ["Contacts", "contacts@acme.test", undefined],
      ["Search", "Search contacts for “cont”", undefined],
      ["Search", "Search mail for “cont”", undefined],
    ]);
    expect(items[1]!.action).toEqual({ kind: "navigate", href: "/acme/contacts/c1" });
    expect(paletteItems("acme", "", accounts, [bob]).some((i) => i.group === "Contacts")).toBe(false);
  });

  test("typing filters by word starts and offers contact and mail searches", () => {
    const items = paletteItems("acme", "sync ann", accounts);
    expect(items.map((i) => i.id)).toEqual(["sync-a1", "search-contacts", "search-mail"]);
    expect(items[1]!.action).toEqual({ kind: "navigate", href: "/acme/contacts?q=sync%20ann" });
    expect(paletteItems("acme", "cont", accounts)[0]!.label).toBe("Contacts");
  });
});
