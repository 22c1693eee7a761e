import type { SessionUser } from "@/lib/auth/session";
import type { Role } from "./permissions";

/** What the guard hands to every tenant-scoped handler, action, page and data function. */
export type OrgContext = {
  orgId: string;
  org: { id: string; slug: string; name: string; personal: boolean };
  user: SessionUser;
  role: Role;
};

export type GuardOptions = { requiredRole?: Role };
