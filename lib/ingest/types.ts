import type { ParsedMessage } from "@/lib/mime/parsed-message";

/** One message fetched from IMAP, ready to be stored (lib/ingest/ingest-messages.ts). */
export type IncomingMessage = {
  // X-GM-MSGID as `gm:<id>` on Gmail, else `sha256:<hex of the raw source>`.
  dedupeKey: string;
  parsed: ParsedMessage;
  // Kept in message_raw only when parsed.parseError is set.
  rawSource: Buffer | null;
  size: number;
  receivedAt: Date | null;
  gmMsgId: string | null;
  gmThreadId: string | null;
};

export type IngestAccount = {
  id: string;
  orgId: string;
  // The account's own addresses: never become contacts, and mark "sent by us" for the replied-only policy.
  ownAddresses: string[];
};
