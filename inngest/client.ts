import { Inngest, eventType } from "inngest";
import {
  ACCOUNT_SYNC_REQUESTED,
  ACCOUNT_TOKEN_REFRESH_REQUESTED,
  accountSyncRequestedData,
  accountTokenRefreshRequestedData,
} from "@/lib/jobs/events";
import { inngestClientOptions } from "@/lib/jobs/job-mode";

/** The one Inngest client. Whether events go to Inngest or to the in-process runner is lib/jobs/job-mode's call. */
export const inngest = new Inngest({ id: "threadline", ...inngestClientOptions() });

export const accountSyncRequested = eventType(ACCOUNT_SYNC_REQUESTED, { schema: accountSyncRequestedData });
export const accountTokenRefreshRequested = eventType(ACCOUNT_TOKEN_REFRESH_REQUESTED, { schema: accountTokenRefreshRequestedData });
