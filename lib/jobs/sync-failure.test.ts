import { describe, expect, test } from "vitest";
import { ImapError, classifyImapError } from "@/lib/imap/imap-error";
import { classifySyncFailure } from "./sync-failure";

describe("classifySyncFailure", () => {
  test("lib/imap errors keep their meaning", () => {
    expect(classifySyncFailure(new ImapError("auth", "Authentication failed: bad password"))).toEqual({ kind: "auth", message: "Authentication failed: bad password" });
    expect(classifySyncFailure(new ImapError("throttled", "slow down", { retryAfterMs: 30_000 }))).toMatchObject({ kind: "throttled", retryAfterMs: 30_000 });
    expect(classifySyncFailure(new ImapError("network", "refused"))).toMatchObject({ kind: "transient" });
    expect(classifySyncFailure(new ImapError("network", "TLS failed", { retryable: false }))).toMatchObject({ kind: "permanent" });
    expect(classifySyncFailure(classifyImapError(Object.assign(new Error("x"), { authenticationFailed: true })))).toMatchObject({ kind: "auth" });
  });

  test("raw imapflow-style errors and unknown errors", () => {
    expect(classifySyncFailure(Object.assign(new Error("Command failed"), { serverResponseCode: "AUTHENTICATIONFAILED" }))).toMatchObject({ kind: "auth" });
    expect(classifySyncFailure(new Error("[THROTTLED] Account exceeded command or bandwidth limits"))).toMatchObject({ kind: "throttled", retryAfterMs: 60_000 });
    expect(classifySyncFailure(new Error("something odd"))).toEqual({ kind: "transient", message: "something odd" });
    const query = new Error("Failed query: update sync_runs set outcome = $1\nparams: secret-ish,values", { cause: Object.assign(new Error("write CONNECTION_CLOSED 127.0.0.1:5432"), { code: "CONNECTION_CLOSED" }) });
    expect(classifySyncFailure(query)).toEqual({ kind: "transient", message: "write CONNECTION_CLOSED 127.0.0.1:5432 (CONNECTION_CLOSED); Failed query: update sync_runs set outcome = $1" });
  });

  test("a classification carried through a step error's cause wins", () => {
    expect(classifySyncFailure({ syncFailureKind: "auth", message: "revoked" })).toEqual({ kind: "auth", message: "revoked", retryAfterMs: undefined });
  });
});
