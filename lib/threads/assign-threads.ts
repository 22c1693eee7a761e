import { type SQL, sql } from "drizzle-orm";
import type { Transaction } from "@/db/connect";
import { queryRows } from "@/db/rows";
import { inList, pgTimestamp } from "@/lib/ingest/sql-lists";

/** One message about to be inserted, as threading sees it. */
export type ThreadingInput = {
  key: string;
  messageIdHeader: string | null;
  references: string[];
  gmThreadId: string | null;
  subject: string | null;
  normalizedSubject: string;
  at: Date | null;
  isBulk: boolean;
  // Participant addresses other than the account's own (all of them when only own addresses take part).
  participants: string[];
};

export type NewThread = { id: string; subject: string | null; normalizedSubject: string | null };

export type ThreadAssignment = {
  // dedupeKey → thread id
  threadOf: Map<string, string>;
  newThreads: NewThread[];
  // Existing threads that get messages from this batch (their stats need a refresh).
  touchedExisting: Set<string>;
  // Existing threads to fold into another existing thread: loser → winner.
  merges: Map<string, string>;
};

export const SUBJECT_WINDOW_MS = 30 * 24 * 3600 * 1000;

/**
 * Threads are per organisation. A message joins, in order of preference:
 * 1. the thread of its X-GM-THRID in the same account (Gmail's own threading is authoritative);
 * 2. a thread linked by Message-IDs: a message in the org whose Message-ID is this message's own
 *    (the same mail seen by another account) or one it references, or that references this message or
 *    shares a referenced id with it (parent arriving after the child, siblings whose parent is
 *    missing). When these point at several threads they are merged into one.
 * 3. for non-bulk mail without X-GM-THRID and with a non-empty normalised subject: the thread with
 *    the same normalised subject whose time span, widened by 30 days each way, covers the message, and which shares
 *    at least one participant (own addresses ignored; not checked when either side has none, as
 *    with calendar entries); when several threads fit, they are merged;
 * 4. otherwise a new thread.
 * Messages are considered oldest first so a batch threads the same whatever order it arrived in.
 */
export async function assignThreads(
  tx: Transaction,
  scope: { orgId: string; accountId: string },
  items: ThreadingInput[],
): Promise<ThreadAssignment> {
  const known = await loadKnownThreads(tx, scope, items);
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.has(root)) root = parent.get(root)!;
    return root;
  };
  const existing = known.existing;
  const created = new Map<string, NewThread>();
  const order = new Map<string, number>();
  const threadOf = new Map<string, string>();

  const ordered = [...items].sort((a, b) => (a.at?.getTime() ?? Infinity) - (b.at?.getTime() ?? Infinity));
  for (const item of ordered) {
    let chosen: string | undefined;
    if (item.gmThreadId && known.gm.has(item.gmThreadId)) chosen = find(known.gm.get(item.gmThreadId)!);
    if (!chosen) {
      const linked = new Set<string>();
      const add = (id: string | undefined) => id && linked.add(find(id));
      if (item.messageIdHeader) {
        add(known.byMessageId.get(item.messageIdHeader));
        add(known.referencedBy.get(item.messageIdHeader));
      }
      for (const ref of item.references) {
        add(known.byMessageId.get(ref));
        add(known.referencedBy.get(ref));
      }
      chosen = unite(linked);
    }
    // Gmail has already decided a message with a new X-GM-THRID starts a conversation: no subject guessing.
    if (!chosen && item.normalizedSubject && !item.isBulk && !item.gmThreadId) chosen = unite(matchBySubject(item));
    if (!chosen) {
      chosen = crypto.randomUUID();
      created.set(chosen, { id: chosen, subject: item.subject, normalizedSubject: item.normalizedSubject || null });
      order.set(chosen, order.size);
    }
    threadOf.set(item.key, chosen);
    remember(item, chosen);
  }

  const merges = new Map<string, string>();
  const touchedExisting = new Set<string>();
  for (const [key, id] of threadOf) {
    const root = find(id);
    threadOf.set(key, root);
    if (existing.has(root)) touchedExisting.add(root);
  }
  for (const id of existing) {
    const root = find(id);
    if (root !== id) {
      merges.set(id, root);
      touchedExisting.add(root);
    }
  }
  const newThreads = [...created.values()].filter((t) => find(t.id) === t.id);
  return { threadOf, newThreads, touchedExisting, merges };

  function rank(id: string): number {
    return existing.has(id) ? -1 : (order.get(id) ?? 0);
  }

  /** Several threads this message belongs to become one: the oldest existing thread absorbs the others. */
  function unite(threadIds: Set<string>): string | undefined {
    if (!threadIds.size) return undefined;
    const ranked = [...threadIds].sort((a, b) => rank(a) - rank(b));
    const winner = ranked[0]!;
    for (const other of ranked.slice(1)) parent.set(other, winner);
    return winner;
  }

  // Every subject thread the message fits (a reply to all may bridge two threads started separately).
  function matchBySubject(item: ThreadingInput): Set<string> {
    const matches = new Set<string>();
    for (const candidate of known.bySubject.get(item.normalizedSubject) ?? []) {
      if (timeDistance(item.at, candidate.first, candidate.last) > SUBJECT_WINDOW_MS) continue;
      // Undated calendar entries and drafts may have no participants at all: subject and time decide then.
      const comparable = item.participants.length > 0 && candidate.participants.size > 0;
      if (comparable && !item.participants.some((p) => candidate.participants.has(p))) continue;
      matches.add(find(candidate.id));
    }
    return matches;
  }

  function remember(item: ThreadingInput, threadId: string) {
    if (item.gmThreadId && !known.gm.has(item.gmThreadId)) known.gm.set(item.gmThreadId, threadId);
    if (item.messageIdHeader && !known.byMessageId.has(item.messageIdHeader)) known.byMessageId.set(item.messageIdHeader, threadId);
    for (const ref of item.references) if (!known.referencedBy.has(ref)) known.referencedBy.set(ref, threadId);
    if (!item.normalizedSubject) return;
    const list = known.bySubject.get(item.normalizedSubject) ?? [];
    let entry = list.find((c) => find(c.id) === threadId);
    if (!entry) {
      entry = { id: threadId, first: item.at, last: item.at, participants: new Set() };
      list.push(entry);
      known.bySubject.set(item.normalizedSubject, list);
    }
    if (item.at) {
      if (!entry.first || item.at < entry.first) entry.first = item.at;
      if (!entry.last || item.at > entry.last) entry.last = item.at;
    }
    for (const p of item.participants) entry.participants.add(p);
  }
}

type SubjectCandidate = { id: string; first: Date | null; last: Date | null; participants: Set<string> };

type KnownThreads = {
  existing: Set<string>;
  gm: Map<string, string>;
  byMessageId: Map<string, string>;
  referencedBy: Map<string, string>;
  bySubject: Map<string, SubjectCandidate[]>;
};

const noExtras = sql.raw("null::timestamptz as first_at, null::timestamptz as last_at, null::text[] as participants");

type LookupRow = { kind: "gm" | "id" | "ref" | "subject"; key: string; thread_id: string; first_at: Date | string | null; last_at: Date | string | null; participants: string[] | string | null };

/** One round trip: every existing thread the batch could join, by X-GM-THRID, Message-ID links or subject. */
async function loadKnownThreads(tx: Transaction, scope: { orgId: string; accountId: string }, items: ThreadingInput[]): Promise<KnownThreads> {
  const gmIds = unique(items.map((i) => i.gmThreadId));
  const ownIds = unique(items.map((i) => i.messageIdHeader));
  const linkIds = unique([...ownIds, ...items.flatMap((i) => i.references)]);
  const subjects = unique(items.filter((i) => !i.isBulk).map((i) => i.normalizedSubject));
  const parts: SQL[] = [];
  if (gmIds.length) {
    parts.push(sql`select 'gm' as kind, gm_thrid as key, thread_id, ${noExtras}
      from messages where account_id = ${scope.accountId} and gm_thrid in ${inList(gmIds)} and thread_id is not null`);
  }
  if (linkIds.length) {
    // The ids travel as one JSON parameter: a batch of mailing-list mail can carry tens of thousands
    // of references, beyond Postgres' bind-parameter limit.
    const ids = sql`(select json_array_elements_text(${JSON.stringify(linkIds)}::json) as id)`;
    parts.push(sql`select 'id' as kind, m.message_id_header as key, m.thread_id, ${noExtras}
      from messages m join ${ids} l on l.id = m.message_id_header
      where m.org_id = ${scope.orgId} and m.thread_id is not null`);
    // Replies that arrived before this message, or share a reference with it. OFFSET 0 keeps the org
    // filter out of the subquery so the only index that fits is the GIN one on references.
    parts.push(sql`select 'ref' as kind, r.ref as key, m.thread_id, ${noExtras}
      from (select org_id, thread_id, "references" from messages
        where "references" && array(select json_array_elements_text(${JSON.stringify(linkIds)}::json)) offset 0) m
      cross join lateral unnest(m."references") as r(ref)
      join ${ids} l on l.id = r.ref
      where m.org_id = ${scope.orgId} and m.thread_id is not null`);
  }
  if (subjects.length) {
    // Each subject is looked up only around the times it occurs in this batch.
    const spans = new Map<string, { from: number; to: number }>();
    for (const item of items) {
      if (!item.normalizedSubject || !item.at) continue;
      const span = spans.get(item.normalizedSubject) ?? { from: Infinity, to: -Infinity };
      span.from = Math.min(span.from, item.at.getTime());
      span.to = Math.max(span.to, item.at.getTime());
      spans.set(item.normalizedSubject, span);
    }
    const windows = subjects.map((subject) => {
      const span = spans.get(subject);
      return {
        subject,
        from_at: span ? clampedIso(span.from - SUBJECT_WINDOW_MS) : null,
        to_at: span ? clampedIso(span.to + SUBJECT_WINDOW_MS) : null,
      };
    });
    // The participants subquery goes through `= any(array(...))` so it stays an index lookup even
    // before the tables have statistics (a fresh account's first batches).
    parts.push(sql`select 'subject' as kind, t.normalized_subject as key, t.id as thread_id, t.first_message_at as first_at, t.last_message_at as last_at,
        array(select distinct mp.email from message_participants mp
          where mp.message_id = any(array(select m.id from messages m where m.thread_id = t.id limit 200)) limit 500) as participants
      from json_to_recordset(${JSON.stringify(windows)}::json) as w(subject text, from_at timestamptz, to_at timestamptz)
      join threads t on t.org_id = ${scope.orgId} and t.normalized_subject = w.subject
        and (w.from_at is null or t.last_message_at is null or t.last_message_at >= w.from_at)
        and (w.to_at is null or t.first_message_at is null or t.first_message_at <= w.to_at)`);
  }
  const known: KnownThreads = { existing: new Set(), gm: new Map(), byMessageId: new Map(), referencedBy: new Map(), bySubject: new Map() };
  if (!parts.length) return known;
  const rows = await withoutSeqScans(tx, () => queryRows<LookupRow>(tx, sql.join(parts, sql` union all `)));
  for (const row of rows) {
    known.existing.add(row.thread_id);
    if (row.kind === "gm") setOnce(known.gm, row.key, row.thread_id);
    else if (row.kind === "id") setOnce(known.byMessageId, row.key, row.thread_id);
    else if (row.kind === "ref") setOnce(known.referencedBy, row.key, row.thread_id);
    else {
      const list = known.bySubject.get(row.key) ?? [];
      list.push({ id: row.thread_id, first: pgTimestamp(row.first_at), last: pgTimestamp(row.last_at), participants: new Set(toArray(row.participants)) });
      known.bySubject.set(row.key, list);
    }
  }
  return known;
}

/**
 * Every branch of the lookup has an index made for it, but the planner misjudges two of them: `&&`
 * against a long array looks cheap per row (it is not: each row is compared with every id), and a
 * young table without statistics looks tiny. So sequential scans are switched off for this one
 * statement (SET LOCAL semantics, restored right after).
 */
async function withoutSeqScans<T>(tx: Transaction, run: () => Promise<T>): Promise<T> {
  const [previous] = await queryRows<{ value: string }>(tx, sql`select current_setting('enable_seqscan') as value, set_config('enable_seqscan', 'off', true)`);
  // On failure the transaction is aborted and SET LOCAL dies with it: restore only on success.
  const result = await run();
  await tx.execute(sql`select set_config('enable_seqscan', ${previous?.value ?? "on"}, true)`);
  return result;
}

function timeDistance(at: Date | null, first: Date | null, last: Date | null): number {
  if (!at || !first || !last) return 0;
  const t = at.getTime();
  if (t < first.getTime()) return first.getTime() - t;
  if (t > last.getTime()) return t - last.getTime();
  return 0;
}

// Years 1..9999 only: a window around a placeholder date in year 1 must not reach year 0, which Postgres refuses.
const MIN_TIME = new Date("0001-01-01T00:00:00Z").getTime();
const MAX_TIME = new Date("9999-12-31T23:59:59Z").getTime();
function clampedIso(time: number): string {
  return new Date(Math.min(Math.max(time, MIN_TIME), MAX_TIME)).toISOString();
}

function setOnce(map: Map<string, string>, key: string, value: string) {
  if (!map.has(key)) map.set(key, value);
}

function unique(values: (string | null | undefined)[]): string[] {
  return [...new Set(values.filter((v): v is string => Boolean(v)))];
}

function toArray(value: string[] | string | null): string[] {
  if (!value) return [];
  if (Array.isArray(value)) return value;
  // Some drivers hand text[] back as a literal: {a,b}
  return value.replace(/^\{|\}$/g, "").split(",").filter(Boolean).map((v) => v.replace(/^"|"$/g, ""));
}
