import { NonRetriableError, RetryAfterError } from "inngest";
import { type SyncFailure, classifySyncFailure } from "@/lib/jobs/sync-failure";

/**
 * Turns a failure inside a step into the error Inngest acts on: auth and permanent failures are not
 * retried, throttling retries after the time the server asked for, the rest retries with back-off.
 * The classification rides in `cause` (a step error keeps only name, message and cause).
 */
export function toStepError(error: unknown): Error {
  const failure = classifySyncFailure(error);
  const cause = { syncFailureKind: failure.kind, retryAfterMs: failure.retryAfterMs, message: failure.message, recorded: failure.recorded ?? false };
  if (failure.kind === "auth" || failure.kind === "permanent") return new NonRetriableError(failure.message, { cause });
  if (failure.kind === "throttled") return new RetryAfterError(failure.message, failure.retryAfterMs ?? 60_000, { cause });
  return Object.assign(new Error(failure.message), { cause });
}

/** The failure a step error carries (see toStepError), or a classification of whatever it is. */
export function failureOf(error: unknown): SyncFailure {
  const cause = (error as { cause?: unknown })?.cause;
  if (cause && typeof cause === "object" && "syncFailureKind" in cause) return classifySyncFailure(cause);
  return classifySyncFailure(error);
}

/** The error a run ends with once its failure is recorded, marked so onFailure does not record it twice. */
export function handledFailure(failure: SyncFailure): NonRetriableError {
  return new NonRetriableError(failure.message, { cause: { syncFailureKind: failure.kind, message: failure.message, handled: true } });
}

export function wasHandled(error: unknown): boolean {
  const cause = (error as { cause?: { handled?: unknown } })?.cause;
  return cause?.handled === true;
}
