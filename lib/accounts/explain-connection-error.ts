import { ForbiddenHostError, UnresolvableHostError } from "@/lib/imap/check-imap-host";
import { ImapError } from "@/lib/imap/imap-error";

export type ConnectionFailureReason =
  | "host_not_found"
  | "forbidden_host"
  | "closed_port"
  | "unreachable"
  | "tls_mismatch"
  | "bad_certificate"
  | "timeout"
  | "auth"
  | "rate_limited"
  | "failed";

export type ConnectionFailure = {
  ok: false;
  reason: ConnectionFailureReason;
  // The form field to point at.
  field: "host" | "port" | "security" | "user" | "password" | null;
  message: string;
};

type Target = { host: string; port: number; security: "tls" | "starttls" | "none" };

const CERTIFICATE = /^(CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS_CERT)/;
const NOT_TLS = /^(ERR_SSL_WRONG_VERSION_NUMBER|ERR_SSL_PACKET_LENGTH_TOO_LONG|ERR_SSL_HTTP_REQUEST|EPROTO)$/;

/**
 * What went wrong when logging in to an IMAP server, in words a person can act on, pointing at the
 * field to fix. Never includes the password (IMAP errors never carry it).
 */
export function explainConnectionError(error: unknown, target: Target): ConnectionFailure {
  const where = `${target.host}:${target.port}`;
  if (error instanceof UnresolvableHostError) return fail("host_not_found", "host", `Cannot find the server "${target.host}". Check the spelling.`);
  if (error instanceof ForbiddenHostError) {
    return fail(
      "forbidden_host",
      "host",
      `"${target.host}" points to a private or local network address (${error.address}). Threadline only connects to mail servers on the public internet; an administrator can allow private hosts with THREADLINE_ALLOW_PRIVATE_HOSTS=1.`,
    );
  }
  if (!(error instanceof ImapError)) return fail("failed", null, "Could not connect to the server. Try again in a moment.");
  const code = error.code ?? "";
  if (error.kind === "auth") {
    return fail(
      "auth",
      "password",
      "The server refused this user name and password. Check both; many providers (Gmail, iCloud, Yahoo, Outlook) need an app password rather than your usual one.",
    );
  }
  if (CERTIFICATE.test(code)) {
    const detail = code === "DEPTH_ZERO_SELF_SIGNED_CERT" || code === "SELF_SIGNED_CERT_IN_CHAIN" ? "self-signed" : code === "CERT_HAS_EXPIRED" ? "expired" : code === "ERR_TLS_CERT_ALTNAME_INVALID" ? `not issued for ${target.host}` : "not trusted";
    return fail("bad_certificate", "host", `The server's certificate is ${detail}, so the connection cannot be trusted. Use the server name your provider gives, or ask them to fix the certificate.`);
  }
  if (NOT_TLS.test(code) || (error.kind === "network" && /wrong version number/i.test(error.message))) {
    return fail("tls_mismatch", "security", `The server at ${where} does not speak TLS from the start. Choose STARTTLS (usually port 143), or use the server's TLS port (usually 993).`);
  }
  if (code === "ECONNREFUSED") return fail("closed_port", "port", `Nothing accepts connections on ${where}. Check the port: usually 993 for TLS, 143 for STARTTLS.`);
  if (error.kind === "timeout") {
    if (code === "GREETING_TIMEOUT" && target.security !== "tls") {
      return fail("tls_mismatch", "security", `The server at ${where} did not greet. If this port expects TLS from the start (usually 993), choose TLS.`);
    }
    return fail("timeout", "host", `The server at ${where} did not answer in time. Check the server name and port, or try again later.`);
  }
  if (error.kind === "network") {
    if (/^(ENOTFOUND|EAI_AGAIN)$/.test(code)) return fail("host_not_found", "host", `Cannot find the server "${target.host}". Check the spelling.`);
    if (/TLS failed/i.test(error.message)) return fail("bad_certificate", "security", `The secure connection to ${where} failed. Check the security setting and port.`);
    return fail("unreachable", "host", `Could not reach ${where}. Check the server name and port, or try again later.`);
  }
  if (error.kind === "throttled") return fail("failed", null, "The server is busy or limiting connections. Try again in a few minutes.");
  return fail("failed", null, "The server answered in a way Threadline does not understand. Check the server name and port.");
}

function fail(reason: ConnectionFailureReason, field: ConnectionFailure["field"], message: string): ConnectionFailure {
  return { ok: false, reason, field, message };
}
