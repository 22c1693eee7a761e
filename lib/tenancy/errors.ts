/**
 * Errors the tenancy guard and the domain functions throw on purpose. Route handlers turn them
 * into a status and JSON body, server actions into `serverError`, pages into notFound()/redirect.
 * Anything else is an unexpected failure and is never shown verbatim.
 */
export type AppErrorCode = "unauthorized" | "forbidden" | "not_found" | "invalid" | "conflict" | "rate_limited";

const STATUS: Record<AppErrorCode, number> = {
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  invalid: 400,
  conflict: 409,
  rate_limited: 429,
};

export class AppError extends Error {
  readonly code: AppErrorCode;
  readonly status: number;

  constructor(code: AppErrorCode, message: string) {
    super(message);
    this.name = "AppError";
    this.code = code;
    this.status = STATUS[code];
  }
}

export const unauthorized = () => new AppError("unauthorized", "Sign in to continue.");
// One message for "no such organisation" and "not a member": existence must not leak.
export const orgNotFound = () => new AppError("not_found", "This organisation does not exist or you are not a member of it.");
export const forbidden = (message = "Your role does not allow this.") => new AppError("forbidden", message);
export const notFound = (message: string) => new AppError("not_found", message);
export const invalid = (message: string) => new AppError("invalid", message);
export const conflict = (message: string) => new AppError("conflict", message);
export const rateLimited = (message: string) => new AppError("rate_limited", message);

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
