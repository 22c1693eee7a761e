/**
 * Platform admins (the people running this Threadline) are configured, not stored:
 * THREADLINE_PLATFORM_ADMINS is a comma- or space-separated list of email addresses. They see usage
 * across every organisation at /admin; for anyone else /admin does not exist (404).
 */
export function platformAdminEmails(env: Record<string, string | undefined> = process.env): Set<string> {
  return new Set(
    (env.THREADLINE_PLATFORM_ADMINS ?? "")
      .split(/[\s,;]+/)
      .map((email) => email.trim().toLowerCase())
      .filter((email) => email.includes("@")),
  );
}

export function isPlatformAdmin(email: string | null | undefined, env: Record<string, string | undefined> = process.env): boolean {
  if (!email) return false;
  return platformAdminEmails(env).has(email.trim().toLowerCase());
}
