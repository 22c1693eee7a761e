import { describe, expect, test } from "vitest";
import { isPlatformAdmin, platformAdminEmails } from "./platform-admins";

describe("platform admins from THREADLINE_PLATFORM_ADMINS", () => {
  const env = { THREADLINE_PLATFORM_ADMINS: " Ops@Example.com, root@example.com;  third@example.com  not-an-email " };

  test("comma, semicolon or space separated, case-insensitive, non-addresses ignored", () => {
    expect([...platformAdminEmails(env)].sort()).toEqual(["ops@example.com", "root@example.com", "third@example.com"]);
    expect(isPlatformAdmin("OPS@example.com", env)).toBe(true);
    expect(isPlatformAdmin("someone@example.com", env)).toBe(false);
  });

  test("nobody is a platform admin when unset or empty, and a missing email never is", () => {
    expect(isPlatformAdmin("ops@example.com", {})).toBe(false);
    expect(isPlatformAdmin("ops@example.com", { THREADLINE_PLATFORM_ADMINS: "" })).toBe(false);
    expect(isPlatformAdmin(null, env)).toBe(false);
    expect(isPlatformAdmin("", { THREADLINE_PLATFORM_ADMINS: "," })).toBe(false);
  });
});
