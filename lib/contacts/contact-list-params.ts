import { z } from "zod";

export const CONTACT_SORTS = ["last", "messages", "name", "company"] as const;
export type ContactSort = (typeof CONTACT_SORTS)[number];

// Natural direction of each column: newest, busiest first; names and companies A→Z.
export const DEFAULT_DIRECTION: Record<ContactSort, "asc" | "desc"> = { last: "desc", messages: "desc", name: "asc", company: "asc" };

export const contactListParams = z.object({
  q: z.string().trim().max(200).catch(""),
  sort: z.enum(CONTACT_SORTS).catch("last"),
  dir: z.enum(["asc", "desc"]).optional().catch(undefined),
  bulk: z.preprocess((v) => v === "1" || v === "true" || v === true, z.boolean()).catch(false),
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
});

export type ContactListParams = z.infer<typeof contactListParams>;

/** The contact list's URL state (searchParams) → parameters; anything unreadable falls back to the default. */
export function parseContactListParams(searchParams: Record<string, string | string[] | undefined>): ContactListParams {
  const first = (key: string) => {
    const value = searchParams[key];
    return Array.isArray(value) ? value[0] : value;
  };
  return contactListParams.parse({ q: first("q") ?? "", sort: first("sort"), dir: first("dir"), bulk: first("bulk"), page: first("page") });
}
