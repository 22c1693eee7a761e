import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  check,
  customType,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";

const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});
const createdAt = () => timestamp("created_at", { withTimezone: true }).notNull().defaultNow();
const updatedAt = () => timestamp("updated_at", { withTimezone: true }).notNull().defaultNow();
const orgRef = () => uuid("org_id").notNull().references(() => organizations.id, { onDelete: "cascade" });
// Every secret column holds ciphertext from lib/crypto; the database refuses anything else.
const encryptedOnly = (column: string) => sql.raw(`${column} IS NULL OR ${column} LIKE 'tlenc:%'`);

/* ---------- Auth.js (users, accounts, sessions, verification tokens) ---------- */

export const users = pgTable("users", {
  id: text("id").primaryKey().$defaultFn(() => crypto.randomUUID()),
  name: text("name"),
  email: text("email").unique(),
  emailVerified: timestamp("emailVerified", { mode: "date", withTimezone: true }),
  image: text("image"),
  createdAt: createdAt(),
});

export const authAccounts = pgTable(
  "accounts",
  {
    userId: text("userId").notNull().references(() => users.id, { onDelete: "cascade" }),
    type: text("type").$type<"oauth" | "oidc" | "email" | "webauthn">().notNull(),
    provider: text("provider").notNull(),
    providerAccountId: text("providerAccountId").notNull(),
    refresh_token: text("refresh_token"),
    access_token: text("access_token"),
    expires_at: integer("expires_at"),
    token_type: text("token_type"),
    scope: text("scope"),
    id_token: text("id_token"),
    session_state: text("session_state"),
  },
  (t) => [
    primaryKey({ columns: [t.provider, t.providerAccountId] }),
    check("accounts_refresh_token_encrypted", encryptedOnly("refresh_token")),
    check("accounts_access_token_encrypted", encryptedOnly("access_token")),
    check("accounts_id_token_encrypted", encryptedOnly("id_token")),
  ],
);

export const sessions = pgTable("sessions", {
  sessionToken: text("sessionToken").primaryKey(),
  userId: text("userId").notNull().references(() => users.id, { onDelete: "cascade" }),
  expires: timestamp("expires", { mode: "date", withTimezone: true }).notNull(),
});

export const verificationTokens = pgTable(
  "verificationTokens",
  {
    identifier: text("identifier").notNull(),
    token: text("token").notNull(),
    expires: timestamp("expires", { mode: "date", withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.token] })],
);

/* ---------- Tenancy ---------- */

export const memberRole = pgEnum("member_role", ["owner", "admin", "member"]);
export const contactPolicy = pgEnum("contact_policy", ["all", "replied", "none"]);
export const visibility = pgEnum("visibility", ["private", "metadata", "subject", "shared"]);

export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
  personal: boolean("personal").notNull().default(false),
  contactPolicy: contactPolicy("contact_policy").notNull().default("all"),
  defaultVisibility: visibility("default_visibility").notNull().default("shared"),
  createdAt: createdAt(),
});

export const memberships = pgTable(
  "memberships",
  {
    orgId: orgRef(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    role: memberRole("role").notNull().default("member"),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId] }), index("memberships_user_idx").on(t.userId)],
);

export const invitations = pgTable(
  "invitations",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    email: text("email"),
    role: memberRole("role").notNull().default("member"),
    tokenHash: text("token_hash").notNull().unique(),
    invitedBy: text("invited_by").references(() => users.id, { onDelete: "set null" }),
    expiresAt: timestamp("expires_at", { withTimezone: true }).notNull(),
    acceptedAt: timestamp("accepted_at", { withTimezone: true }),
    acceptedBy: text("accepted_by").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index("invitations_org_idx").on(t.orgId)],
);

export const blockedSenders = pgTable(
  "blocked_senders",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    // An address ("bob@x.com") or a whole domain ("x.com").
    pattern: text("pattern").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("blocked_senders_org_pattern_idx").on(t.orgId, t.pattern)],
);

/* ---------- Mail accounts and mailboxes ---------- */

export const mailProvider = pgEnum("mail_provider", ["gmail", "outlook", "imap"]);
export const imapSecurity = pgEnum("imap_security", ["tls", "starttls", "none"]);
export const mailAuthKind = pgEnum("mail_auth_kind", ["password", "oauth2"]);
export const accountStatus = pgEnum("account_status", [
  "connecting",
  "syncing",
  "active",
  "reconnect_needed",
  "error",
  "paused",
]);

export const mailAccounts = pgTable(
  "mail_accounts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    userId: text("user_id").references(() => users.id, { onDelete: "set null" }),
    provider: mailProvider("provider").notNull(),
    emailAddress: text("email_address").notNull(),
    displayName: text("display_name"),
    imapHost: text("imap_host").notNull(),
    imapPort: integer("imap_port").notNull(),
    imapSecurity: imapSecurity("imap_security").notNull().default("tls"),
    imapUser: text("imap_user").notNull(),
    authKind: mailAuthKind("auth_kind").notNull(),
    encryptedPassword: text("encrypted_password"),
    encryptedAccessToken: text("encrypted_access_token"),
    encryptedRefreshToken: text("encrypted_refresh_token"),
    tokenExpiresAt: timestamp("token_expires_at", { withTimezone: true }),
    oauthProviderAccountId: text("oauth_provider_account_id"),
    status: accountStatus("status").notNull().default("connecting"),
    statusReason: text("status_reason"),
    visibility: visibility("visibility").notNull().default("shared"),
    lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
    nextSyncAt: timestamp("next_sync_at", { withTimezone: true }),
    lastErrorAt: timestamp("last_error_at", { withTimezone: true }),
    consecutiveFailures: integer("consecutive_failures").notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("mail_accounts_org_address_idx").on(t.orgId, sql`lower(${t.emailAddress})`),
    index("mail_accounts_next_sync_idx").on(t.status, t.nextSyncAt),
    check("mail_accounts_password_encrypted", encryptedOnly("encrypted_password")),
    check("mail_accounts_access_token_encrypted", encryptedOnly("encrypted_access_token")),
    check("mail_accounts_refresh_token_encrypted", encryptedOnly("encrypted_refresh_token")),
  ],
);

export const mailboxes = pgTable(
  "mailboxes",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    accountId: uuid("account_id").notNull().references(() => mailAccounts.id, { onDelete: "cascade" }),
    path: text("path").notNull(),
    name: text("name").notNull(),
    delimiter: text("delimiter"),
    specialUse: text("special_use"),
    selectable: boolean("selectable").notNull().default(true),
    uidValidity: bigint("uid_validity", { mode: "number" }),
    uidNext: bigint("uid_next", { mode: "number" }),
    highestModseq: bigint("highest_modseq", { mode: "number" }),
    // Highest UID whose message is committed; new mail is fetched from lastUid+1.
    lastUid: bigint("last_uid", { mode: "number" }).notNull().default(0),
    // Newest-first initial sync walks down; every UID >= backfillUid is committed. Null = backfill done.
    backfillUid: bigint("backfill_uid", { mode: "number" }),
    serverCount: integer("server_count").notNull().default(0),
    syncedCount: integer("synced_count").notNull().default(0),
    lastSyncAt: timestamp("last_sync_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("mailboxes_account_path_idx").on(t.accountId, t.path)],
);

/* ---------- Messages, locations, threads, contacts ---------- */

export const threads = pgTable(
  "threads",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    subject: text("subject"),
    normalizedSubject: text("normalized_subject"),
    snippet: text("snippet"),
    messageCount: integer("message_count").notNull().default(0),
    firstMessageAt: timestamp("first_message_at", { withTimezone: true }),
    lastMessageAt: timestamp("last_message_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    index("threads_org_last_idx").on(t.orgId, t.lastMessageAt),
    index("threads_org_subject_idx").on(t.orgId, t.normalizedSubject),
  ],
);

export const messages = pgTable(
  "messages",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    accountId: uuid("account_id").notNull().references(() => mailAccounts.id, { onDelete: "cascade" }),
    threadId: uuid("thread_id").references(() => threads.id, { onDelete: "set null" }),
    // One message per account whatever folders hold it: X-GM-MSGID on Gmail, else a content hash.
    dedupeKey: text("dedupe_key").notNull(),
    messageIdHeader: text("message_id_header"),
    inReplyTo: text("in_reply_to"),
    references: text("references").array(),
    gmMsgId: text("gm_msgid"),
    gmThreadId: text("gm_thrid"),
    subject: text("subject"),
    fromAddress: text("from_address"),
    fromName: text("from_name"),
    sentAt: timestamp("sent_at", { withTimezone: true }),
    receivedAt: timestamp("received_at", { withTimezone: true }),
    snippet: text("snippet"),
    textBody: text("text_body"),
    // Untrusted: sanitised only when rendered.
    htmlBody: text("html_body"),
    hasAttachments: boolean("has_attachments").notNull().default(false),
    size: integer("size").notNull().default(0),
    isBulk: boolean("is_bulk").notNull().default(false),
    participantsText: text("participants_text").notNull().default(""),
    parseError: text("parse_error"),
    // Stored in the row, not in TOAST (STORAGE MAIN, migration 0009): searches read it for every row they walk.
    search: tsvector("search").generatedAlwaysAs(
      sql`setweight(to_tsvector('english'::regconfig, coalesce(subject, '')), 'A') || setweight(to_tsvector('simple'::regconfig, participants_text), 'B') || setweight(to_tsvector('english'::regconfig, left(coalesce(text_body, ''), 200000)), 'C')`,
    ),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("messages_account_dedupe_idx").on(t.accountId, t.dedupeKey),
    index("messages_org_sent_idx").on(t.orgId, t.sentAt),
    index("messages_thread_idx").on(t.threadId, t.sentAt),
    index("messages_org_msgid_idx").on(t.orgId, t.messageIdHeader),
    // Threading finds replies that arrived before their parent (newest-first sync): references && $ids.
    // fastupdate off: a pending list makes every lookup scan all recently inserted entries (~1 s per
    // batch during a bulk sync); the arrays are short, so writing straight into the tree is cheap.
    index("messages_references_idx").using("gin", t.references).with({ fastupdate: false }),
    // Gmail threading: the batch's X-GM-THRIDs are looked up in the account.
    index("messages_account_gm_thread_idx").on(t.accountId, t.gmThreadId).where(sql`${t.gmThreadId} is not null`),
    // Full text within one organisation: org_id leads (btree_gin, migration 0007), so a word's matches
    // come back for that organisation only instead of every organisation's, then filtered row by row.
    index("messages_org_search_idx").using("gin", t.orgId, t.search),
  ],
);

export const messageLocations = pgTable(
  "message_locations",
  {
    mailboxId: uuid("mailbox_id").notNull().references(() => mailboxes.id, { onDelete: "cascade" }),
    uid: bigint("uid", { mode: "number" }).notNull(),
    messageId: uuid("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    orgId: orgRef(),
    accountId: uuid("account_id").notNull().references(() => mailAccounts.id, { onDelete: "cascade" }),
    flags: text("flags").array().notNull().default(sql`'{}'::text[]`),
    labels: text("labels").array(),
    modseq: bigint("modseq", { mode: "number" }),
  },
  (t) => [primaryKey({ columns: [t.mailboxId, t.uid] }), index("message_locations_message_idx").on(t.messageId)],
);

export const messageRaw = pgTable("message_raw", {
  messageId: uuid("message_id").primaryKey().references(() => messages.id, { onDelete: "cascade" }),
  orgId: orgRef(),
  source: bytea("source").notNull(),
  truncated: boolean("truncated").notNull().default(false),
});

export const contacts = pgTable(
  "contacts",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    email: text("email").notNull(),
    name: text("name"),
    domain: text("domain").notNull(),
    isBulk: boolean("is_bulk").notNull().default(false),
    messageCount: integer("message_count").notNull().default(0),
    firstSeenAt: timestamp("first_seen_at", { withTimezone: true }),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("contacts_org_email_idx").on(t.orgId, t.email),
    index("contacts_org_domain_idx").on(t.orgId, t.domain),
    index("contacts_org_last_seen_idx").on(t.orgId, t.lastSeenAt),
    // Contact search (ILIKE '%term%' on name and address); needs the pg_trgm extension (migration 0004).
    index("contacts_search_trgm_idx").using("gin", sql`lower(coalesce(${t.name}, '') || ' ' || ${t.email}) gin_trgm_ops`),
  ],
);

// A contact's figures per mailbox. Viewers who may not see every mailbox get the sum over the ones
// they may see (lib/contacts/contact-figures-sql.ts) instead of a recount of the contact's mail.
// Kept by lib/contacts/contact-accounts.ts wherever contacts' own figures change.
export const contactAccounts = pgTable(
  "contact_accounts",
  {
    contactId: uuid("contact_id").notNull().references(() => contacts.id, { onDelete: "cascade" }),
    accountId: uuid("account_id").notNull().references(() => mailAccounts.id, { onDelete: "cascade" }),
    orgId: orgRef(),
    messageCount: integer("message_count").notNull().default(0),
    firstAt: timestamp("first_at", { withTimezone: true }),
    lastAt: timestamp("last_at", { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.accountId] }), index("contact_accounts_org_idx").on(t.orgId, t.accountId)],
);

// Senders whose remote images a reader has chosen to load (per reader and organisation).
export const remoteImageSenders = pgTable(
  "remote_image_senders",
  {
    orgId: orgRef(),
    userId: text("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    // Lower-case address.
    sender: text("sender").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.userId, t.sender] })],
);

export const participantRole = pgEnum("participant_role", ["from", "to", "cc", "bcc", "reply_to"]);

export const messageParticipants = pgTable(
  "message_participants",
  {
    messageId: uuid("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    orgId: orgRef(),
    role: participantRole("role").notNull(),
    email: text("email").notNull(),
    name: text("name"),
    contactId: uuid("contact_id").references(() => contacts.id, { onDelete: "set null" }),
    // Copies of the message's account, thread and date (written by ingest, else filled by a trigger, and
    // followed by one when the message's thread or date changes: drizzle/0006), so a contact's
    // figures and timeline come from one index-only scan instead of joining every message with them
    // (a contact in 24,000 messages: ~1 s → milliseconds). Null only where the message's own is null.
    accountId: uuid("account_id"),
    threadId: uuid("thread_id"),
    messageAt: timestamp("message_at", { withTimezone: true }),
  },
  (t) => [
    primaryKey({ columns: [t.messageId, t.role, t.email] }),
    // Leads with contact_id alone too: deleting a contact nulls its rows through this index.
    index("message_participants_contact_idx").on(t.contactId, t.orgId, t.messageAt, t.accountId, t.threadId, t.messageId),
    // role and message_id too: from:<address> reads just the address's sent messages, from the index alone
    // (a busy sender's 17,000 rows, to and cc included, read from the heap: 14 ms a search).
    index("message_participants_org_email_idx").on(t.orgId, t.email, t.role, t.messageId),
  ],
);

export const attachments = pgTable(
  "attachments",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    messageId: uuid("message_id").notNull().references(() => messages.id, { onDelete: "cascade" }),
    orgId: orgRef(),
    filename: text("filename"),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    contentId: text("content_id"),
    inline: boolean("inline").notNull().default(false),
    checksum: text("checksum"),
    // Small parts are kept so they can be served without reaching the mail server.
    content: bytea("content"),
  },
  (t) => [index("attachments_message_idx").on(t.messageId)],
);

/* ---------- Sync runs ---------- */

export const syncOutcome = pgEnum("sync_outcome", ["running", "success", "partial", "failed"]);

export const syncRuns = pgTable(
  "sync_runs",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    orgId: orgRef(),
    accountId: uuid("account_id").notNull().references(() => mailAccounts.id, { onDelete: "cascade" }),
    mailboxId: uuid("mailbox_id").references(() => mailboxes.id, { onDelete: "set null" }),
    trigger: text("trigger").notNull().default("manual"),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    outcome: syncOutcome("outcome").notNull().default("running"),
    messagesAdded: integer("messages_added").notNull().default(0),
    messagesUpdated: integer("messages_updated").notNull().default(0),
    messagesDeleted: integer("messages_deleted").notNull().default(0),
    parseFailures: integer("parse_failures").notNull().default(0),
    bytes: bigint("bytes", { mode: "number" }).notNull().default(0),
    errorKind: text("error_kind"),
    error: text("error"),
  },
  (t) => [
    index("sync_runs_account_started_idx").on(t.accountId, t.startedAt),
    index("sync_runs_org_started_idx").on(t.orgId, t.startedAt),
  ],
);
