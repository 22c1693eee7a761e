export type Address = { address: string; name: string | null };

export type ParsedAttachment = {
  filename: string | null;
  contentType: string;
  size: number;
  contentId: string | null;
  inline: boolean;
  checksum: string | null;
  // Present only for parts small enough to keep in the database.
  content: Buffer | null;
};

/** Everything Threadline keeps from one RFC 5322 message, produced by lib/mime/parse-message.ts. */
export type ParsedMessage = {
  messageIdHeader: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string | null;
  from: Address | null;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  sentAt: Date | null;
  text: string | null;
  // Untrusted HTML, stored as received; sanitised only when rendered.
  html: string | null;
  snippet: string | null;
  attachments: ParsedAttachment[];
  // List-Unsubscribe, Precedence: bulk/list/junk, Auto-Submitted, no-reply senders.
  isBulk: boolean;
  // Set when the source could not be parsed (fully or partly); the raw source is then kept.
  parseError: string | null;
};
