import type { AccountUsage } from "@/lib/usage/list-account-usage";
import type { OrganizationUsage } from "@/lib/usage/list-organization-usage";
import type { AccountUsageRow } from "./accounts-usage-table";
import type { OrgUsageRow } from "./orgs-usage-table";

// Usage rows as they cross to the client tables: only the fields shown, dates as ISO strings.

export function accountRow(a: AccountUsage): AccountUsageRow {
  return {
    id: a.id,
    orgSlug: a.orgSlug,
    orgName: a.orgName,
    emailAddress: a.emailAddress,
    provider: a.provider,
    status: a.status,
    statusReason: a.statusReason,
    owner: a.owner,
    messages: a.messages,
    storageBytes: a.storageBytes,
    runs: a.runs,
    failed: a.failed,
    throttled: a.throttled,
    failureRate: a.failureRate,
    messagesAdded: a.messagesAdded,
    lastRunAt: a.lastRunAt?.toISOString() ?? null,
    lastSyncAt: a.lastSyncAt?.toISOString() ?? null,
  };
}

export function orgRow(o: OrganizationUsage): OrgUsageRow {
  return {
    slug: o.slug,
    name: o.name,
    personal: o.personal,
    members: o.members,
    accounts: o.accounts,
    accountsNeedingAttention: o.accountsNeedingAttention,
    messages: o.messages,
    storageBytes: o.storageBytes,
    runs: o.runs,
    failed: o.failed,
    throttled: o.throttled,
    failureRate: o.failureRate,
    messagesAdded: o.messagesAdded,
    lastActivityAt: o.lastActivityAt?.toISOString() ?? null,
  };
}
