import type { Database } from "@/db/connect";
import { type ContactDetail, getContact } from "@/lib/contacts/get-contact";
import { type ConversationPage, listConversations } from "@/lib/conversations/list-conversations";
import type { OrgContext } from "@/lib/tenancy/org-context";

export const TIMELINE_PAGE_SIZE = 25;

export type ContactTimeline = { contact: ContactDetail; conversations: ConversationPage; page: number; pageSize: number };

/** A contact's header and their conversations, newest activity first, as the viewer may see them. */
export async function getContactTimeline(
  db: Database,
  ctx: Pick<OrgContext, "orgId" | "user">,
  contactId: string,
  options: { page?: number } = {},
): Promise<ContactTimeline | null> {
  const contact = await getContact(db, ctx, contactId);
  if (!contact) return null;
  const page = Math.max(1, Math.trunc(options.page ?? 1));
  const conversations = await listConversations(db, ctx, {
    scope: { kind: "contact", contactId: contact.id },
    limit: TIMELINE_PAGE_SIZE,
    offset: (page - 1) * TIMELINE_PAGE_SIZE,
    // The same visible threads the header counted.
    total: contact.threadCount,
  });
  return { contact, conversations, page, pageSize: TIMELINE_PAGE_SIZE };
}
