import { requestAccountSync } from "@/inngest/request-account-sync";
import { notFound } from "@/lib/tenancy/errors";
import type { OrgContext } from "@/lib/tenancy/org-context";

/**
 * Asks for a sync of one of the organisation's mailboxes (server actions and the palette's route).
 * The account is marked due on its own connection, committed before the event goes out: marked
 * inside the request's transaction, a sync already running could look for the mark before it
 * committed, and the request would wait for the scheduler.
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
