import { getToken } from "next-auth/jwt";

/**
 * The user id in the request's Auth.js session cookie (JWT strategy), or null. Used where Auth.js
 * itself runs (its callbacks), outside the React request scope that `auth()` relies on.
 */
export async function readSessionUserId(request: Request, secret: string): Promise<string | null> {
  for (const secureCookie of [true, false]) {
    const token = await getToken({ req: request, secret, secureCookie, logger: silent });
    if (token?.sub) return token.sub;
  }
  return null;
}

const silent = { error: () => {}, warn: () => {}, debug: () => {} } as unknown as Console;
