import type { ClientOptions } from "inngest";
import { IN_PROCESS_EVENT_ORIGIN, inProcessEventFetch } from "./in-process/event-delivery";

export type JobMode = "inngest" | "in-process";

const INNGEST_VARIABLES = ["INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY", "INNGEST_BASE_URL", "INNGEST_DEV"] as const;

/**
 * The one switch: Inngest (cloud, self-hosted or the dev server) as soon as any Inngest variable is
 * set, otherwise the in-process runner. Everything else asks this module.
 */
export function jobMode(env: Record<string, string | undefined> = process.env): JobMode {
  return INNGEST_VARIABLES.some((name) => Boolean(env[name])) ? "inngest" : "in-process";
}

/**
 * Client options for the mode. In-process: dev mode (no signing key to check; the serve route is closed
 * to HTTP instead, see inngest/handler.ts) and an event API answered inside the process.
 */
export function inngestClientOptions(env: Record<string, string | undefined> = process.env): Partial<ClientOptions> {
  if (jobMode(env) === "inngest") return {};
  return { isDev: true, baseUrl: IN_PROCESS_EVENT_ORIGIN, fetch: inProcessEventFetch as typeof fetch };
}
