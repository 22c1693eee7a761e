import { eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { organizations } from "@/db/schema";
import { searchMessages } from "@/lib/search/search-messages";
import { type CliArgs, CliError, requireFlag } from "./args";

// search --org <slug> [--limit n] [--offset n] [--sort relevance|newest] [--group messages|threads] <Gmail-style query...>
export async function search(args: CliArgs, db: Database) {
  const slug = requireFlag(args, "org");
  const query = args.positional.join(" ").trim();
  if (!query) throw new CliError("<query> is required: search --org <slug> <query>");
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
  if (!org) throw new CliError(`No organisation with slug "${slug}"`);
  const limit = numberFlag(args, "limit", 20);
  const offset = numberFlag(args, "offset", 0);
  const sort = args.flags.sort === undefined ? "relevance" : String(args.flags.sort);
  if (sort !== "relevance" && sort !== "newest") throw new CliError("--sort must be relevance or newest");
  const group = args.flags.group === undefined ? "messages" : String(args.flags.group);
  if (group !== "messages" && group !== "threads") throw new CliError("--group must be messages or threads");
  const { total, results, warnings, sort: applied } = await searchMessages(db, { orgId: org.id, query, limit, offset, sort, group });
  return {
    query,
    total,
    sort: applied,
    ...(warnings.length ? { warnings } : {}),
    results: results.map((r) => ({
      id: r.id,
      threadId: r.threadId,
      subject: r.subject,
      from: r.fromName ? `${r.fromName} <${r.fromAddress}>` : r.fromAddress,
      sentAt: r.sentAt,
      rank: Number(r.rank.toFixed(4)),
      ...(group === "threads" ? { matches: r.matches } : {}),
      snippet: r.highlight.map((s) => (s.match ? `[${s.text}]` : s.text)).join(""),
    })),
  };
}

function numberFlag(args: CliArgs, name: string, fallback: number): number {
  const value = args.flags[name];
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`--${name} must be a non-negative integer`);
  return n;
}
