import type { ImapFlow, ListResponse } from "imapflow";
import { withImapTimeout } from "./with-imap-timeout";

export type SpecialUse = "inbox" | "sent" | "drafts" | "trash" | "junk" | "all" | "archive" | "flagged";

export type FolderStatus = {
  messages: number;
  uidNext: number;
  uidValidity: number;
  // Null when the server has no CONDSTORE (flags must then be re-read every pass).
  highestModseq: number | null;
};

export type RemoteFolder = {
  path: string;
  name: string;
  delimiter: string | null;
  specialUse: SpecialUse | null;
  selectable: boolean;
  status: FolderStatus | null;
};

const SPECIAL_USE: Record<string, SpecialUse> = {
  "\\inbox": "inbox",
  "\\sent": "sent",
  "\\drafts": "drafts",
  "\\trash": "trash",
  "\\junk": "junk",
  "\\all": "all",
  "\\archive": "archive",
  "\\flagged": "flagged",
};

/**
 * Every folder of the account with its special use and, in the same round trip where the server
 * has LIST-STATUS (else one STATUS per folder), the figures that tell whether it changed:
 * message count, UIDNEXT, UIDVALIDITY and HIGHESTMODSEQ.
 */
export async function listFolders(client: ImapFlow): Promise<RemoteFolder[]> {
  const condstore = client.capabilities.has("CONDSTORE") || client.capabilities.has("QRESYNC");
  const listed = await withImapTimeout(client, "LIST", () =>
    client.list({ statusQuery: { messages: true, uidNext: true, uidValidity: true, highestModseq: condstore } }),
  );
  return listed.map(toRemoteFolder);
}

export function toRemoteFolder(entry: ListResponse): RemoteFolder {
  const flags = new Set([...entry.flags].map((f) => f.toLowerCase()));
  const selectable = !flags.has("\\noselect") && !flags.has("\\nonexistent");
  const special = entry.path.toUpperCase() === "INBOX" ? "inbox" : entry.specialUse ? (SPECIAL_USE[entry.specialUse.toLowerCase()] ?? null) : null;
  const s = entry.status;
  const status: FolderStatus | null =
    s && s.uidValidity !== undefined && s.uidNext !== undefined && s.messages !== undefined
      ? { messages: s.messages, uidNext: s.uidNext, uidValidity: Number(s.uidValidity), highestModseq: s.highestModseq !== undefined ? Number(s.highestModseq) : null }
      : null;
  return { path: entry.path, name: entry.name, delimiter: entry.delimiter || null, specialUse: special, selectable, status };
}
