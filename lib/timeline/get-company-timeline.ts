import { type CompanyRow, listCompanies } from "@/lib/contacts/list-companies";
import { type ContactList, listContacts } from "@/lib/contacts/list-contacts";
import { type ConversationPage, listConversations } from "@/lib/conversations/list-conversations";
import type { OrgContext } from "@/lib/tenancy/org-context";
import { type ScopedRun, TIMELINE_PAGE_SIZE } from "./get-contact-timeline";

export type CompanyTimeline = { company: CompanyRow; people: ContactList; conversations: ConversationPage; page: number; pageSize: number };

/**
 * A company (an email domain that is not free mail): its people and the merged timeline of their
 * conversations, as the viewer may see them. Null when the viewer knows nobody there.
 * The company's figures, its people and the page each read all of the domain's rows (the largest
 * benchmark domain has 89,000): run side by side on connections of their own, as the contact
 * timeline does, the page costs the slowest of them instead of their sum.
 */
export async function getCompanyTimeline(
  run: ScopedRun,
  ctx: Pick<OrgContext, "orgId" | "user">,
  domain: string,
  options: { page?: number } = {},
): Promise<CompanyTimeline | null> {
  const normalized = domain.trim().toLowerCase();
  if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(normalized)) return null;
  const page = Math.max(1, Math.trunc(options.page ?? 1));
  const [companies, people, conversations] = await Promise.all([
    run((db) => listCompanies(db, ctx, { domain: normalized, pageSize: 1 })),
    run((db) => listContacts(db, ctx, { q: "", sort: "messages", bulk: false, page: 1, domain: normalized, pageSize: 200 })),
    run((db) => listConversations(db, ctx, { scope: { kind: "domain", domain: normalized }, limit: TIMELINE_PAGE_SIZE, offset: (page - 1) * TIMELINE_PAGE_SIZE })),
  ]);
  const company = companies.rows[0];
  if (!company) return null;
  return { company, people, conversations, page, pageSize: TIMELINE_PAGE_SIZE };
}
