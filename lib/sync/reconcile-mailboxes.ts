import { and, eq, inArray } from "drizzle-orm";
import { mailboxes } from "@/db/schema";
import type { RemoteFolder, SpecialUse } from "@/lib/imap/list-folders";
import type { MailboxRow, SyncContext } from "./types";

export type FolderPlan = {
  // In sync order: Inbox, Sent, then the rest (Gmail: All Mail, then Junk and Trash).
  folders: { row: MailboxRow; remote: RemoteFolder }[];
  created: number;
  renamed: number;
  deleted: number;
};

// Gmail shows one message in every label's folder; All Mail has each once (labels say where),
// and only Spam and Trash hold mail that All Mail does not.
const GMAIL_FOLDERS: ReadonlySet<SpecialUse> = new Set(["all", "junk", "trash"]);
const ORDER: SpecialUse[] = ["inbox", "all", "sent"];

/**
 * Matches the server's folder list against the stored mailboxes: new folders get a row, folders
 * that vanished lose theirs (their locations go with it; messages left with no location are
 * removed at the end of a complete pass). A vanished folder and a new one with the same
 * UIDVALIDITY, UIDNEXT, count and HIGHESTMODSEQ are one folder renamed: the row is kept.
 */
export async function reconcileMailboxes(ctx: SyncContext, listed: RemoteFolder[]): Promise<FolderPlan> {
  const wanted = listed.filter((f) => f.selectable && (!ctx.gmail || (f.specialUse !== null && GMAIL_FOLDERS.has(f.specialUse))));
  const rows = await ctx.db.select().from(mailboxes).where(eq(mailboxes.accountId, ctx.account.id));
  const byPath = new Map(rows.map((r) => [r.path, r]));
  const wantedPaths = new Set(wanted.map((f) => f.path));
  const gone = rows.filter((r) => !wantedPaths.has(r.path));
  const fresh = wanted.filter((f) => !byPath.has(f.path));
  const plan: FolderPlan = { folders: [], created: 0, renamed: 0, deleted: 0 };

  const renames = detectRenames(gone, fresh);
  await ctx.db.transaction(async (tx) => {
    for (const [row, remote] of renames) {
      const [updated] = await tx
        .update(mailboxes)
        .set({ path: remote.path, name: remote.name, delimiter: remote.delimiter, specialUse: remote.specialUse })
        .where(and(eq(mailboxes.id, row.id), eq(mailboxes.accountId, ctx.account.id)))
        .returning();
      byPath.set(remote.path, updated!);
      plan.renamed++;
    }
    const removed = gone.filter((r) => !renames.has(r));
    if (removed.length) {
      await tx.delete(mailboxes).where(and(eq(mailboxes.accountId, ctx.account.id), inArray(mailboxes.id, removed.map((r) => r.id))));
      plan.deleted += removed.length;
    }
    const renamedTo = new Set([...renames.values()].map((f) => f.path));
    const toCreate = fresh.filter((f) => !renamedTo.has(f.path));
    if (toCreate.length) {
      const inserted = await tx
        .insert(mailboxes)
        .values(toCreate.map((f) => ({ orgId: ctx.account.orgId, accountId: ctx.account.id, path: f.path, name: f.name, delimiter: f.delimiter, specialUse: f.specialUse })))
        .onConflictDoNothing()
        .returning();
      for (const row of inserted) byPath.set(row.path, row);
      plan.created += inserted.length;
    }
    for (const remote of wanted) {
      const row = byPath.get(remote.path);
      if (row && (row.specialUse !== remote.specialUse || row.name !== remote.name || row.delimiter !== remote.delimiter)) {
        const [updated] = await tx
          .update(mailboxes)
          .set({ specialUse: remote.specialUse, name: remote.name, delimiter: remote.delimiter })
          .where(eq(mailboxes.id, row.id))
          .returning();
        byPath.set(remote.path, updated!);
      }
    }
  });

  // A row may be missing only if a concurrent pass created it between our read and insert.
  const missing = wanted.filter((f) => !byPath.has(f.path));
  if (missing.length) {
    const more = await ctx.db.select().from(mailboxes).where(and(eq(mailboxes.accountId, ctx.account.id), inArray(mailboxes.path, missing.map((f) => f.path))));
    for (const row of more) byPath.set(row.path, row);
  }
  plan.folders = wanted
    .filter((f) => byPath.has(f.path))
    .map((remote) => ({ row: byPath.get(remote.path)!, remote }))
    .sort((a, b) => rank(a.remote) - rank(b.remote) || a.remote.path.localeCompare(b.remote.path));
  return plan;
}

function detectRenames(gone: MailboxRow[], fresh: RemoteFolder[]): Map<MailboxRow, RemoteFolder> {
  const renames = new Map<MailboxRow, RemoteFolder>();
  const key = (v: { uidValidity: number | null; uidNext: number | null; count: number; modseq: number | null }) =>
    v.uidValidity === null || v.uidNext === null ? null : `${v.uidValidity}/${v.uidNext}/${v.count}/${v.modseq ?? "-"}`;
  const goneByKey = groupBy(gone, (r) => key({ uidValidity: r.uidValidity, uidNext: r.uidNext, count: r.serverCount, modseq: r.highestModseq }));
  const freshByKey = groupBy(fresh, (f) =>
    f.status ? key({ uidValidity: f.status.uidValidity, uidNext: f.status.uidNext, count: f.status.messages, modseq: f.status.highestModseq }) : null,
  );
  for (const [k, rows] of goneByKey) {
    const candidates = freshByKey.get(k);
    // Only an unambiguous one-to-one match is a rename; anything else is a delete plus a create.
    if (rows.length === 1 && candidates?.length === 1 && rows[0]!.backfillUid === null) renames.set(rows[0]!, candidates[0]!);
  }
  return renames;
}

function groupBy<T>(items: T[], keyOf: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    if (k === null) continue;
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

function rank(folder: RemoteFolder): number {
  const i = folder.specialUse ? ORDER.indexOf(folder.specialUse) : -1;
  return i === -1 ? ORDER.length : i;
}
