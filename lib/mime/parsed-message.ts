// `address` is lower-case and trimmed; invalid addresses never appear (lib/mime/normalize-address.ts).
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
  // Message-IDs are stored without angle brackets or whitespace ("abc@example.com"), case kept.
  messageIdHeader: string | null;
  inReplyTo: string | null;
  // The References header, plus In-Reply-To when References lacks it (jwz threading), oldest first.
  references: string[];
  subject: string | null;
  from: Address | null;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  replyTo: Address[];
  // From the Date header, literal year kept (Enron's "0002" stays year 2); unreadable → null.
  sentAt: Date | null;
  // Plain text; derived from the HTML when the message has only HTML. All strings are Postgres-safe (no NUL).
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
