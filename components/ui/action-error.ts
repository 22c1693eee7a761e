import type { ActionError } from "@/lib/safe-action";

type ResultLike = { serverError?: ActionError; validationErrors?: unknown } | undefined;

/** The one sentence to show for a failed action result, or null when it succeeded. */
export function actionErrorMessage(result: ResultLike): string | null {
  if (!result) return "Could not reach the server. Check your connection and try again.";
  if (result.serverError) return result.serverError.message;
  if (result.validationErrors) return firstMessage(result.validationErrors) ?? "Check the form and try again.";
  return null;
}

function firstMessage(errors: unknown): string | null {
  if (!errors || typeof errors !== "object") return null;
  for (const [key, value] of Object.entries(errors)) {
    if (key === "_errors" && Array.isArray(value) && value.length) return String(value[0]);
    const nested = firstMessage(value);
    if (nested) return nested;
  }
  return null;
}
