import { describe, expect, it } from "vitest";
import { ImapError, classifyImapError } from "./imap-error";

function imapflowError(props: Record<string, unknown>, message = "Command failed") {
  return Object.assign(new Error(message), props);
}

describe("classifyImapError", () => {
  it.each([
    ["an authentication failure", imapflowError({ authenticationFailed: true, serverResponseCode: "AUTHENTICATIONFAILED", responseText: "[AUTHENTICATIONFAILED] Authentication failed." }), "auth", false],
    ["[THROTTLED]", imapflowError({ responseStatus: "NO", serverResponseCode: "THROTTLED", responseText: "[THROTTLED] Slow down" }), "throttled", true],
    ["[OVERQUOTA]", imapflowError({ responseStatus: "NO", responseText: "[OVERQUOTA] Bandwidth exceeded" }), "throttled", true],
    ["[UNAVAILABLE] during login (OAuth server down)", imapflowError({ authenticationFailed: true, serverResponseCode: "UNAVAILABLE" }), "throttled", true],
    ["a login refused with [THROTTLED]", imapflowError({ authenticationFailed: true, responseStatus: "NO", serverResponseCode: "THROTTLED", responseText: "Too many logins" }), "throttled", true],
    ["a login refused with [OVERQUOTA]", imapflowError({ authenticationFailed: true, responseStatus: "NO", serverResponseCode: "OVERQUOTA", responseText: "over quota" }), "throttled", true],
    ["Gmail's too many connections at login", imapflowError({ authenticationFailed: true, responseStatus: "NO", serverResponseCode: "ALERT", responseText: "[ALERT] Too many simultaneous connections. (Failure)" }), "throttled", true],
    ["imapflow's ETHROTTLE", imapflowError({ code: "ETHROTTLE", throttleReset: 12_000 }), "throttled", true],
    ["a greeting timeout", imapflowError({ code: "GREETING_TIMEOUT" }), "timeout", true],
    ["a socket timeout", imapflowError({ code: "ETIMEOUT" }), "timeout", true],
    ["a refused connection", imapflowError({ code: "ECONNREFUSED" }), "network", true],
    ["a dropped connection", imapflowError({ code: "NoConnection" }), "network", true],
    ["an unknown DNS name", imapflowError({ code: "ENOTFOUND" }), "network", true],
    ["a bad certificate", imapflowError({ code: "DEPTH_ZERO_SELF_SIGNED_CERT" }), "network", false],
    ["a BAD answer", imapflowError({ responseStatus: "BAD", responseText: "Error in IMAP command" }), "protocol", false],
    ["an unparsable response", imapflowError({ code: "ParserError7" }), "protocol", false],
  ])("%s", (_name, error, kind, retryable) => {
    const classified = classifyImapError(error);
    expect(classified).toBeInstanceOf(ImapError);
    expect(classified.kind).toBe(kind);
    expect(classified.retryable).toBe(retryable);
    expect(classified.cause).toBe(error);
  });

  it("carries the server's back-off, or a default one", () => {
    expect(classifyImapError(imapflowError({ code: "ETHROTTLE", throttleReset: 12_000 })).retryAfterMs).toBe(12_000);
    expect(classifyImapError(imapflowError({ responseStatus: "NO", serverResponseCode: "THROTTLED" })).retryAfterMs).toBeGreaterThan(0);
  });

  it("reads Office 365's suggested back-off from the text when imapflow did not", () => {
    const error = imapflowError({ responseStatus: "NO", responseText: "Request is throttled. Suggested Backoff Time: 15000 milliseconds" });
    expect(classifyImapError(error)).toMatchObject({ kind: "throttled", retryAfterMs: 15_000 });
  });

  it("keeps the text of the BYE that ended the connection", () => {
    const error = imapflowError({ code: "NoConnection", reason: "Internal error, try again" }, "Connection not available");
    expect(classifyImapError(error)).toMatchObject({ kind: "network", message: "Connection failed: Connection not available (NoConnection) after the server's BYE: Internal error, try again" });
  });

  it("is idempotent", () => {
    const once = classifyImapError(imapflowError({ code: "ECONNRESET" }));
    expect(classifyImapError(once)).toBe(once);
  });
});
