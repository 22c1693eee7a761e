import type { FetchMessageObject, FetchQueryObject, ImapFlow, MailboxObject, MessageStructureObject } from "imapflow";
import { fetchWithTimeout } from "@/lib/imap/with-imap-timeout";
import type { SyncContext } from "./types";
import { uidSet } from "./uid-set";

export type FetchedMessage = {
  uid: number;
  // The raw RFC 5322 bytes (BODY.PEEK[], so \Seen is never set), at most limits.maxMessageBytes;
  // of a truncated message only the first TRUNCATED_KEEP_BYTES.
  source: Buffer;
  // Full size on the server (RFC822.SIZE); above source.length when truncated.
  size: number;
  truncated: boolean;
  // Of a truncated message: its BODYSTRUCTURE, for the attachments the fetched beginning lacks.
  structure?: MessageStructureObject | null;
  flags: string[];
  modseq: number | null;
  internalDate: Date | null;
  gmMsgId: string | null;
  gmThreadId: string | null;
  labels: string[] | null;
};

/**
 * One `UID FETCH <uids> (UID FLAGS RFC822.SIZE INTERNALDATE [MODSEQ] BODY.PEEK[]<0.cap>)`, streamed:
 * `onMessage` is awaited for each message, and imapflow holds the socket meanwhile, so memory stays
 * bounded by what the consumer keeps. Unsolicited FETCH lines (another client changing flags) and
 * UIDs not asked for are ignored. Returns the UIDs that were delivered with a body.
 */
export async function fetchMessages(ctx: SyncContext, uids: readonly number[], onMessage: (message: FetchedMessage) => Promise<void>): Promise<Set<number>> {
  const wanted = new Set(uids);
  const delivered = new Set<number>();
  if (!wanted.size) return delivered;
  const query: FetchQueryObject = {
    uid: true,
    flags: true,
    size: true,
    internalDate: true,
    source: { maxLength: ctx.limits.maxMessageBytes },
    ...(ctx.gmail ? { threadId: true, labels: true } : {}),
  };
  // Truncated messages wait for one BODYSTRUCTURE fetch after this one (the connection is busy
  // until then), up to a budget; past it they go on without.
  const cut: FetchedMessage[] = [];
  let cutBytes = 0;
  for await (const raw of fetchWithTimeout(ctx.client, uidSet([...wanted]), query, { uid: true })) {
    if (!raw.uid || !wanted.has(raw.uid) || !raw.source || delivered.has(raw.uid)) continue;
    delivered.add(raw.uid);
    const message = toFetched(raw, ctx.gmail);
    if (message.truncated && cutBytes + message.source.length <= DEFERRED_BYTES) {
      cut.push(message);
      cutBytes += message.source.length;
      continue;
    }
    await onMessage(message);
  }
  if (cut.length) {
    const structures = new Map<number, MessageStructureObject>();
    for await (const raw of fetchWithTimeout(ctx.client, uidSet(cut.map((m) => m.uid)), { uid: true, bodyStructure: true }, { uid: true })) {
      if (raw.uid && raw.bodyStructure) structures.set(raw.uid, raw.bodyStructure);
    }
    for (const message of cut) await onMessage({ ...message, structure: structures.get(message.uid) ?? null });
  }
  return delivered;
}

const DEFERRED_BYTES = 32 * 1024 * 1024;

// A message above the fetch limit is stored flagged, parsed from its beginning: the headers and the
// first parts are there, the rest is an attachment cut short anyway. Keeping only this much (and
// letting the fetched prefix go at once) keeps a 100 MB message from weighing 32 MB through parse,
// hashing and the raw-source insert (sync peak RSS with one: 262 -> 167 MB).
export const TRUNCATED_KEEP_BYTES = 2 * 1024 * 1024;

export function normalizeFlags(flags: Set<string> | undefined): string[] {
  // \Recent belongs to one session and would make every pass look like a change.
  return [...(flags ?? [])].filter((f) => f.toLowerCase() !== "\\recent").sort();
}

export function normalizeLabels(labels: Set<string> | undefined): string[] | null {
  return labels ? [...labels].sort() : null;
}

export function safeModseq(value: bigint | undefined | null): number | null {
  if (value === undefined || value === null) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : null;
}

/** HIGHESTMODSEQ of the mailbox just selected; null when this session has no CONDSTORE for it (flags must then be re-read every pass). */
export function selectedModseq(client: ImapFlow, box: MailboxObject): number | null {
  return client.enabled.has("CONDSTORE") && !box.noModseq ? safeModseq(box.highestModseq) : null;
}

function toFetched(raw: FetchMessageObject, gmail: boolean): FetchedMessage {
  const fetched = raw.source!;
  const size = typeof raw.size === "number" && raw.size > 0 ? raw.size : fetched.length;
  const truncated = size > fetched.length;
  // A copy, so the whole fetched buffer is freed now.
  const source = truncated && fetched.length > TRUNCATED_KEEP_BYTES ? Buffer.from(fetched.subarray(0, TRUNCATED_KEEP_BYTES)) : fetched;
  const date = raw.internalDate ? new Date(raw.internalDate) : null;
  return {
    uid: raw.uid,
    source,
    size,
    truncated,
    flags: normalizeFlags(raw.flags),
    modseq: safeModseq(raw.modseq),
    internalDate: date && !Number.isNaN(date.getTime()) ? date : null,
    // OBJECTID servers also send EMAILID/THREADID; only Gmail's are X-GM-MSGID/X-GM-THRID.
    gmMsgId: gmail ? (raw.emailId ?? null) : null,
    gmThreadId: gmail ? (raw.threadId ?? null) : null,
    labels: normalizeLabels(raw.labels),
  };
}
