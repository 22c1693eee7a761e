import crypto from "node:crypto";

/** The link carries the token; the database keeps only its SHA-256, so a leaked row opens nothing. */
export function newInvitationToken(): string {
  return crypto.randomBytes(32).toString("base64url");
}

export function hashInvitationToken(token: string): string {
  return crypto.createHash("sha256").update(token, "utf8").digest("hex");
}

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
