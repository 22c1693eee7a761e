import type { NextRequest } from "next/server";
import { handlers } from "@/auth";
import { checkSignInRate } from "@/lib/abuse/check-sign-in-rate";
import { tooManyRequestsResponse } from "@/lib/abuse/rate-limits";

/*
 * Auth.js's endpoints, with sign-in attempts rate limited before Auth.js sees them: the local
 * credentials callback (per IP and per address) and the start of an OAuth sign-in (per IP).
 * Sessions, CSRF, providers and OAuth callbacks pass untouched.
 */

export async function GET(request: NextRequest) {
  const refused = await signInRefusal(request);
  return refused ?? handlers.GET(request);
}

export async function POST(request: NextRequest) {
  const refused = await signInRefusal(request);
  return refused ?? handlers.POST(request);
}

async function signInRefusal(request: NextRequest): Promise<Response | null> {
  const path = new URL(request.url).pathname;
  const credentials = /\/api\/auth\/callback\/local\/?$/.test(path);
  if (!credentials && !/\/api\/auth\/signin\/[^/]+\/?$/.test(path)) return null;
  const email = credentials && request.method === "POST" ? await formEmail(request) : null;
  const refused = checkSignInRate(request.headers, email);
  return refused ? tooManyRequestsResponse(refused.retryAfterMs) : null;
}

// Reads a copy: Auth.js reads the body itself afterwards.
async function formEmail(request: Request): Promise<string | null> {
  try {
    const value = (await request.clone().formData()).get("email");
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  }
}
