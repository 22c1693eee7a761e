import { requestAccountSync } from "@/inngest/request-account-sync";
import { notFound } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";

/**
 * Asks for a sync of one of the organisation's mailboxes (server actions and the palette's route).
 * Called outside the request's transaction: the account is marked due (by organisation) and that is
 * committed before the event goes out, so the sync it starts, or one already running, sees it.
 */
export async function requestSync(org: OrgContext, accountId: string, reason: "manual" | "linked") {
  try {
    const result = await requestAccountSync({ orgId: org.orgId, accountId, reason });
    if (result.status === null) throw notFound("This mailbox is not linked to this organisation.");
    return { requested: result.requested, status: result.status };
  } catch (error) {
    if (error instanceof Error && error.name === "AppError") throw error;
    // The account is already marked due (requestAccountSync does that first): the scheduler runs it
    // within a minute even when the job runner could not be reached now.
    console.warn(`sync request for ${accountId} not delivered now: ${(error as Error).message}`);
    return { requested: true, status: "queued" };
  }
}
