import type { AccountUsage } from "@/lib/usage/list-account-usage";
import type { OrganizationUsage } from "@/lib/usage/list-organization-usage";

// Usage rows as they cross to the client tables: only the fields shown, dates as ISO strings.

export type AccountUsageRow = Omit<AccountUsage, "orgId" | "lastRunAt" | "lastSyncAt" | "lastErrorAt" | "consecutiveFailures"> & {
  lastRunAt: string | null;
  lastSyncAt: string | null;
};

export type OrgUsageRow = Omit<OrganizationUsage, "id" | "createdAt" | "lastActivityAt"> & { lastActivityAt: string | null };

export function accountRow({ orgId: _orgId, lastErrorAt: _lastErrorAt, consecutiveFailures: _failures, lastRunAt, lastSyncAt, ...shown }: AccountUsage): AccountUsageRow {
  return { ...shown, lastRunAt: lastRunAt?.toISOString() ?? null, lastSyncAt: lastSyncAt?.toISOString() ?? null };
}

export function orgRow({ id: _id, createdAt: _createdAt, lastActivityAt, ...shown }: OrganizationUsage): OrgUsageRow {
  return { ...shown, lastActivityAt: lastActivityAt?.toISOString() ?? null };
}
