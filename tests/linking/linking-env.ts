import { vi } from "vitest";
import type { DovecotServer } from "@/tests/support/dovecot";
import type { OAuthServer } from "@/tests/support/oauth-server";

/** Points Auth.js's Google and Microsoft providers at the stand-in, and their IMAP at Dovecot. */
export function stubLinkingEnv(oauth: OAuthServer, dovecot: DovecotServer) {
  vi.stubEnv("AUTH_GOOGLE_ID", oauth.clients.google.id);
  vi.stubEnv("AUTH_GOOGLE_SECRET", oauth.clients.google.secret);
  vi.stubEnv("AUTH_GOOGLE_ISSUER", oauth.issuer);
  vi.stubEnv("AUTH_MICROSOFT_ENTRA_ID_ID", oauth.clients.microsoft.id);
  vi.stubEnv("AUTH_MICROSOFT_ENTRA_ID_SECRET", oauth.clients.microsoft.secret);
  vi.stubEnv("AUTH_MICROSOFT_ENTRA_ID_ISSUER", oauth.issuer);
  for (const prefix of ["THREADLINE_GMAIL_IMAP", "THREADLINE_OUTLOOK_IMAP"]) {
    vi.stubEnv(`${prefix}_HOST`, dovecot.host);
    vi.stubEnv(`${prefix}_PORT`, String(dovecot.port));
    vi.stubEnv(`${prefix}_SECURITY`, "none");
  }
  vi.stubEnv("THREADLINE_ALLOW_PRIVATE_HOSTS", "1");
}
