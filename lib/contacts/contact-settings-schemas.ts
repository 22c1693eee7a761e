import { z } from "zod";

export const CONTACT_POLICIES = ["all", "replied", "none"] as const;

// Minimum role to change the contact policy and the blocklist.
export const MANAGE_CONTACT_SETTINGS_ROLE = "admin" as const;

/**
 * A blocklist entry: an address ("bob@spam.example"), a domain ("spam.example", which also covers its
 * subdomains) or "@spam.example" (the same domain). Stored lower-case, "@domain" as "domain".
 */
export const blockedPattern = z
  .string()
  .trim()
  .toLowerCase()
  .max(254, "That is too long for an address or a domain.")
  .transform((value) => value.replace(/^mailto:/, "").replace(/^@/, ""))
  .refine((value) => value.length > 0, "Enter an address or a domain.")
  .refine(
    (value) => /^[^\s@<>(),;:"[\]\\]+@[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(value) || /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(value),
    "Enter an address (name@example.com) or a domain (example.com).",
  );
