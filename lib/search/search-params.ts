import { z } from "zod";

export const SEARCH_PAGE_SIZE = 25;

/** The search page's URL state (and the search API's query string): lenient, so a bad link still shows a page. */
export const searchParamsSchema = z.object({
  // Length is the parser's to refuse, with a message.
  q: z.string().catch(""),
  sort: z.enum(["relevance", "newest"]).catch("relevance"),
  group: z.enum(["threads", "messages"]).catch("threads"),
  page: z.coerce.number().int().min(1).max(400).catch(1),
  pageSize: z.coerce.number().int().min(1).max(100).catch(SEARCH_PAGE_SIZE),
});

export type SearchParams = z.infer<typeof searchParamsSchema>;

/** From Next's searchParams or URLSearchParams: first value of each key. */
export function readSearchParams(input: URLSearchParams | Record<string, string | string[] | undefined>): SearchParams {
  const get = (key: string) => {
    const value = input instanceof URLSearchParams ? (input.get(key) ?? undefined) : input[key];
    return Array.isArray(value) ? value[0] : value;
  };
  return searchParamsSchema.parse({ q: get("q"), sort: get("sort"), group: get("group"), page: get("page"), pageSize: get("pageSize") });
}

/** The URL of a search with some parameters changed; defaults are left out so links stay short. */
export function searchHref(slug: string, params: SearchParams, change: Partial<SearchParams> = {}): string {
  const next = { ...params, ...change };
  const query = new URLSearchParams();
  if (next.q) query.set("q", next.q);
  if (next.sort !== "relevance") query.set("sort", next.sort);
  if (next.group !== "threads") query.set("group", next.group);
  if (next.page !== 1) query.set("page", String(next.page));
  if (next.pageSize !== SEARCH_PAGE_SIZE) query.set("pageSize", String(next.pageSize));
  const text = query.toString();
  return `/${slug}/search${text ? `?${text}` : ""}`;
}
