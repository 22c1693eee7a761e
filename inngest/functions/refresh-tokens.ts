import type { Database } from "@/db/connect";
import { JOB_FUNCTIONS } from "@/lib/jobs/events";
import { findExpiringTokens } from "@/lib/jobs/find-expiring-tokens";
import { markReconnectNeeded } from "@/lib/jobs/mark-reconnect-needed";
import type { RefreshAccountToken } from "@/lib/jobs/token-refresher";
import { accountTokenRefreshRequested, inngest } from "../client";
import { failureOf, toStepError } from "./step-errors";

// Refresh this long before expiry: a sync step that starts just before never meets an expired token.
const REFRESH_AHEAD_MS = 15 * 60_000;

/** Every five minutes: a refresh request for each OAuth account whose token expires soon. */
export function createRefreshTokensFunction({ db }: { db: Database }) {
  return inngest.createFunction(
    { id: JOB_FUNCTIONS.refreshTokens, name: "Refresh expiring OAuth tokens", triggers: [{ cron: "*/5 * * * *" }], singleton: { mode: "skip" }, retries: 2 },
    async ({ step }) => {
      const expiring = await step.run("find-expiring", () => findExpiringTokens(db, { withinMs: REFRESH_AHEAD_MS }));
      if (expiring.length > 0) {
        await step.sendEvent("request-refreshes", expiring.map((a) => accountTokenRefreshRequested.create({ accountId: a.id })));
      }
      return { requested: expiring.length };
    },
  );
}

/** Refreshes one account's token; a revoked grant stops the account (reconnect), not retried. */
export function createRefreshAccountTokenFunction({ db, refreshAccountToken }: { db: Database; refreshAccountToken: RefreshAccountToken }) {
  return inngest.createFunction(
    {
      id: JOB_FUNCTIONS.refreshAccountToken,
      name: "Refresh one account's OAuth token",
      triggers: [accountTokenRefreshRequested],
      singleton: { key: "event.data.accountId", mode: "skip" },
      retries: 3,
    },
    async ({ event, step }) => {
      const { accountId } = event.data;
      try {
        const result = await step.run("refresh", async () => {
          try {
            const { expiresAt } = await refreshAccountToken({ db, accountId });
            return { expiresAt: expiresAt?.toISOString() ?? null };
          } catch (error) {
            throw toStepError(error);
          }
        });
        return result;
      } catch (error) {
        const failure = failureOf(error);
        if (failure.kind === "auth") {
          await step.run("mark-reconnect-needed", () => markReconnectNeeded(db, { accountId, reason: failure.message }));
        }
        throw error;
      }
    },
  );
}
