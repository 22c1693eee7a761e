import type { JsonColumn } from "./sql-lists";

export const messageColumns: readonly JsonColumn[] = [
  ["id", "uuid"],
  ["org_id", "uuid"],
  ["account_id", "uuid"],
  ["thread_id", "uuid"],
  ["dedupe_key", "text"],
  ["message_id_header", "text"],
  ["in_reply_to", "text"],
  ["references", "text[]"],
  ["gm_msgid", "text"],
  ["gm_thrid", "text"],
  ["subject", "text"],
  ["from_address", "text"],
  ["from_name", "text"],
  ["sent_at", "timestamptz"],
  ["received_at", "timestamptz"],
  ["snippet", "text"],
  ["text_body", "text"],
  ["html_body", "text"],
  ["has_attachments", "boolean"],
  ["size", "integer"],
  ["is_bulk", "boolean"],
  ["participants_text", "text"],
  ["parse_error", "text"],
];

export const participantColumns: readonly JsonColumn[] = [
  ["message_id", "uuid"],
  ["org_id", "uuid"],
  ["role", "participant_role"],
  ["email", "text"],
  ["name", "text"],
  ["contact_id", "uuid"],
  // Copies of the message's (drizzle/0006); given here, the insert trigger need not look them up.
  ["account_id", "uuid"],
  ["thread_id", "uuid"],
  ["message_at", "timestamptz"],
];

export const attachmentColumns: readonly JsonColumn[] = [
  ["message_id", "uuid"],
  ["org_id", "uuid"],
  ["filename", "text"],
  ["content_type", "text"],
  ["size", "integer"],
  ["content_id", "text"],
  ["inline", "boolean"],
  ["checksum", "text"],
  ["content", "bytea"],
];

export const rawColumns: readonly JsonColumn[] = [
  ["message_id", "uuid"],
  ["org_id", "uuid"],
  ["source", "bytea"],
  ["truncated", "boolean"],
];

export const threadColumns: readonly JsonColumn[] = [
  ["id", "uuid"],
  ["org_id", "uuid"],
  ["subject", "text"],
  ["normalized_subject", "text"],
  ["snippet", "text"],
  ["message_count", "integer"],
  ["first_message_at", "timestamptz"],
  ["last_message_at", "timestamptz"],
];
