import { headers } from "next/headers";

/**
 * The current request's headers in a server action or page. Outside a request (server actions
 * called directly by scripts and tests) there are none: the caller then counts as "unknown".
 */
export async function requestHeaders(): Promise<Headers> {
  try {
    return new Headers(await headers());
  } catch {
    return new Headers();
  }
}
