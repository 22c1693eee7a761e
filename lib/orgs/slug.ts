import { z } from "zod";

export const orgSlugSchema = z
  .string()
  .trim()
  .toLowerCase()
  .min(2, "A slug has at least 2 characters")
  .max(48, "A slug has at most 48 characters")
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Use lowercase letters, digits and inner hyphens only")
  .refine((slug) => !RESERVED_SLUGS.has(slug), "That slug is reserved");

// Top-level routes that an organisation slug must never shadow.
const RESERVED_SLUGS = new Set(["api", "admin", "login", "signin", "signout", "invite", "invitations", "settings", "_next", "new"]);

export function slugify(text: string): string {
  const base = text
    .toLowerCase()
    .normalize("NFKD")
    // NFKD splits "ü" into "u" + a combining mark; drop the marks so "Müller" becomes "muller", not "mu-ller".
    .replace(/\p{M}/gu, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base.length >= 2 ? base : `org-${base}`.replace(/-$/, "");
}
