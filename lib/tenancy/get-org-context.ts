import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { isAppError } from "./errors";
import type { OrgContext } from "./org-context";
import { requireOrgContext } from "./require-org-context";

/**
 * The guard for server components (layouts and pages): signed out → /login, unknown organisation
 * or not a member → the 404 page. Role checks beyond membership are the page's to render.
 * Cached per request so the layout and the page share one lookup.
 */
export const getOrgContext = cache(async (slug: string): Promise<OrgContext> => {
  try {
    return await requireOrgContext(slug);
  } catch (error) {
    if (!isAppError(error)) throw error;
    if (error.code === "unauthorized") redirect(`/login?callbackUrl=${encodeURIComponent(`/${slug}`)}`);
    notFound();
  }
});
