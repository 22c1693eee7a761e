import { parseAddressHeader } from "mailparser";
import { cleanLine, cleanNullable } from "./clean-text";
import { detectBulk } from "./detect-bulk";
import { htmlToPlainText } from "./html-to-plain-text";
import { makeSnippet } from "./make-snippet";
import { normalizeAddressList } from "./normalize-address";
import { normalizeMessageId, normalizeMessageIds } from "./normalize-message-id";
import { parseMailDate } from "./parse-mail-date";
import { headerFallbackCharset, redecodeRawHeader } from "./redecode-raw-header";
import type { ParsedAttachment, ParsedMessage } from "./parsed-message";
import { KEPT_HEADER_LINES, KEPT_HEADERS, type MailparserSettings, type RawAttachment, type RawParse, runMailparser } from "./run-mailparser.mjs";

/** Runs mailparser over a source: in this thread (runMailparser) or in a worker (parse-in-workers.ts). */
export type MailparserRunner = (source: Buffer, settings: MailparserSettings) => Promise<RawParse>;

export type ParseMessageOptions = {
  // Above this size only the header block is parsed and the message is flagged (parseError).
  maxParseBytes?: number;
  // Attachment parts up to this size keep their content (inline images served from the DB).
  keepAttachmentBytes?: number;
  // ... and at most this much attachment content is kept per message.
  keepAttachmentTotalBytes?: number;
  // A parser that has not finished by then is abandoned; what was salvaged is returned, flagged.
  timeoutMs?: number;
  snippetLength?: number;
};

type Settings = Required<ParseMessageOptions> & { maxHtmlLengthToParse: number };

export const parseDefaults: Settings = {
  maxParseBytes: 64 * 1024 * 1024,
  keepAttachmentBytes: 256 * 1024,
  keepAttachmentTotalBytes: 2 * 1024 * 1024,
  timeoutMs: 30_000,
  snippetLength: 200,
  // HTML longer than this skips html-to-text (slow on huge documents); a cheap tag stripper derives the text instead.
  maxHtmlLengthToParse: 1_000_000,
};

/**
 * Parses one raw RFC 5322 message. Never throws: whatever cannot be parsed sets `parseError` and
 * everything that could be salvaged (at least the headers, when there are any) is returned, so the
 * caller stores the message and keeps its raw source.
 *
 * Memory bound per call, beyond the caller's `source` buffer: the decoded text and HTML bodies
 * (mailparser buffers text parts; at most about the size of the source), attachment parts up to
 * `keepAttachmentBytes` each and `keepAttachmentTotalBytes` in all (bigger parts stream through a
 * SHA-256 hash and are dropped), plus mailparser's stream buffers. Sources above `maxParseBytes`
 * are not body-parsed at all.
 */
export async function parseMessage(source: Buffer, options: ParseMessageOptions = {}, run: MailparserRunner = runMailparser): Promise<ParsedMessage> {
  const settings: Settings = { ...parseDefaults, ...definedOnly(options) };
  try {
    if (!source || source.length === 0) return emptyMessage("empty message source");
    if (source.length > settings.maxParseBytes) {
      const parsed = await parseHeadersOnly(source, settings, run);
      return {
        ...parsed,
        parseError: `message is ${source.length} bytes, above the ${settings.maxParseBytes}-byte parse limit: headers only, body not parsed`,
      };
    }
    const raw = await run(source, mailparserSettings(settings));
    if (raw.error && !raw.headers) {
      const reparsed = await parseWithReadFieldsOnly(source, settings, run);
      if (reparsed) return { ...reparsed, parseError: [describe(raw.error), "parsed again with only the header fields Threadline reads", reparsed.parseError].filter(Boolean).join("; ") };
      const salvaged = await parseHeadersOnly(source, settings, run);
      return { ...salvaged, parseError: describe(raw.error) };
    }
    return buildMessage(raw, settings);
  } catch (error) {
    return emptyMessage(`parser crashed: ${describe(error)}`);
  }
}

// Subjects are indexed (threads.normalized_subject, a btree: at most ~2,700 bytes a row) and
// searched: a longer one would make its whole batch fail to insert, again at every pass.
const MAX_SUBJECT_BYTES = 2000;

const coreHeaders = new Set(["from", "sender", "to", "cc", "subject", "date", "message-id"]);

// Reads only KEPT_HEADERS and KEPT_HEADER_LINES (run-mailparser.mjs drops the rest).
function buildMessage(raw: RawParse, settings: Settings): ParsedMessage {
  const headers = raw.headers ?? new Map<string, unknown>();
  const rawHeader = (key: string) => rawHeaderValue(raw.headerLines, key);
  const charset = headerFallbackCharset(headers.get("content-type"));
  // Address headers with raw 8-bit names are re-read in the message's charset (see redecodeRawHeader).
  const addresses = (key: string) => {
    const values = rawHeaderValues(raw.headerLines, key);
    const redecoded = values.map((value) => redecodeRawHeader(value, charset));
    if (!redecoded.some((value) => value !== null)) return normalizeAddressList(headers.get(key));
    const texts = values.map((value, i) => redecoded[i] ?? Buffer.from(value, "latin1").toString("utf8"));
    return normalizeAddressList(parseAddressHeader(key === "from" || key === "sender" ? texts.slice(0, 1) : texts));
  };
  const from = addresses("from")[0] ?? addresses("sender")[0] ?? null;
  const messageIdHeader = normalizeMessageId(rawHeader("message-id"));
  const inReplyTo = normalizeMessageIds(rawHeader("in-reply-to"));
  const references = normalizeMessageIds(rawHeaderValues(raw.headerLines, "references").join(" "));
  // jwz threading: without References, In-Reply-To stands in for them; reverse lookups then need only this column.
  for (const id of inReplyTo) if (!references.includes(id)) references.push(id);

  const html = cleanNullable(raw.html);
  let text = cleanNullable(raw.text);
  if ((!text || !text.trim() || raw.textConversionFailed) && html) text = cleanNullable(htmlToPlainText(html));
  const decodedSubject = redecodeRawHeader(rawHeader("subject"), charset) ?? headers.get("subject");
  const fullSubject = typeof decodedSubject === "string" ? cleanLine(decodedSubject) : "";
  const subject = cutUtf8(fullSubject, MAX_SUBJECT_BYTES) || null;

  const problems: string[] = [];
  if (subject && subject.length < fullSubject.length) problems.push(`the subject is ${fullSubject.length} characters long: the first ${subject.length} are kept`);
  if (raw.error) problems.push(`partly parsed: ${describe(raw.error)}`);
  if (!raw.headerLines.some((line) => coreHeaders.has(line.key))) {
    problems.push("no From, To, Subject, Date or Message-ID header: probably not an RFC 5322 message");
  }

  return {
    messageIdHeader,
    inReplyTo: inReplyTo[0] ?? null,
    references: references.slice(-100),
    subject,
    from,
    to: addresses("to"),
    cc: addresses("cc"),
    bcc: addresses("bcc"),
    replyTo: addresses("reply-to"),
    sentAt: parseMailDate(rawHeader("date")),
    text,
    html,
    snippet: makeSnippet(text, settings.snippetLength),
    attachments: raw.attachments.map(toAttachment),
    isBulk: detectBulk(headers, from?.address ?? null),
    parseError: problems.length ? problems.join("; ") : null,
  };
}

/** For sources too big or too broken to parse: run the parser over the header block alone. */
async function parseHeadersOnly(source: Buffer, settings: Settings, run: MailparserRunner): Promise<ParsedMessage> {
  const end = headerBlockEnd(source);
  const block = Buffer.concat([source.subarray(0, end), Buffer.from("\r\n\r\n")]);
  const raw = await run(block, mailparserSettings({ ...settings, timeoutMs: Math.min(settings.timeoutMs, 10_000) }));
  if (!raw.headers) return emptyMessage(describe(raw.error ?? "no headers"));
  const message = buildMessage({ ...raw, text: null, html: null, attachments: [] }, settings);
  return { ...message, parseError: message.parseError ?? "headers only" };
}

/**
 * For a header block the parser refuses (a 1 MB field, tens of thousands of fields): the whole
 * message again, its header block cut down to the fields buildMessage reads, each at most
 * FIELD_CHARS. Null when that drops nothing (the headers were not the problem) or keeps no field.
 */
async function parseWithReadFieldsOnly(source: Buffer, settings: Settings, run: MailparserRunner): Promise<ParsedMessage | null> {
  const end = headerBlockEnd(source, SALVAGE_SCAN_BYTES);
  const block = source.toString("latin1", 0, end);
  const kept = readFieldsOnly(block);
  if (!kept || kept.length === block.length) return null;
  const raw = await run(Buffer.concat([Buffer.from(kept, "latin1"), source.subarray(end)]), mailparserSettings(settings));
  if (!raw.headers) return null;
  return buildMessage(raw, settings);
}

// How far to look for the end of an oversized header block, and what is kept of it.
const SALVAGE_SCAN_BYTES = 16 * 1024 * 1024;
const FIELD_CHARS = 64 * 1024;
const KEPT_CHARS = 512 * 1024;
// The parser counts every header line as at least 64 bytes against its 1 MB limit.
const KEPT_LINES = 4000;

function readFieldsOnly(block: string): string | null {
  const out: string[] = [];
  let chars = 0;
  let lines = 0;
  for (const field of block.split(/\r?\n(?![ \t])/)) {
    const name = field.slice(0, field.indexOf(":")).trim().toLowerCase();
    if (!readField(name)) continue;
    let value = field.length > FIELD_CHARS ? field.slice(0, FIELD_CHARS) : field;
    // Cut at a fold, so an encoded word is not split mid-way when it can be helped.
    if (value.length < field.length && value.lastIndexOf("\n") > 0) value = value.slice(0, value.lastIndexOf("\n")).replace(/\r$/, "");
    const valueLines = value.split("\n").length;
    if (chars + value.length > KEPT_CHARS || lines + valueLines > KEPT_LINES) break;
    out.push(value);
    chars += value.length + 2;
    lines += valueLines;
  }
  return out.length ? out.join("\r\n") : null;
}

function readField(name: string): boolean {
  return KEPT_HEADERS.has(name) || KEPT_HEADER_LINES.has(name) || name.startsWith("list-") || name === "mime-version" || name === "content-transfer-encoding";
}

function headerBlockEnd(source: Buffer, scan = 1024 * 1024): number {
  const limit = Math.min(source.length, scan);
  const crlf = source.indexOf("\r\n\r\n");
  const lf = source.indexOf("\n\n");
  const candidates = [crlf, lf].filter((i) => i >= 0 && i < limit);
  return candidates.length ? Math.min(...candidates) : limit;
}

function toAttachment(part: RawAttachment): ParsedAttachment {
  const contentId = part.cid ? cleanLine(part.cid) || null : null;
  return {
    filename: part.filename ? cleanLine(part.filename).slice(0, 1000) || null : null,
    contentType: cleanLine(part.contentType || "application/octet-stream").toLowerCase().slice(0, 255) || "application/octet-stream",
    size: part.size,
    contentId: contentId ? contentId.slice(0, 998) : null,
    inline: part.contentDisposition === "inline" || part.related,
    checksum: part.checksum,
    content: part.content,
  };
}

/** The longest prefix of `value` of at most `maxBytes` in UTF-8, never splitting a character. */
function cutUtf8(value: string, maxBytes: number): string {
  if (value.length * 3 <= maxBytes || Buffer.byteLength(value, "utf8") <= maxBytes) return value;
  let out = value.slice(0, maxBytes);
  while (Buffer.byteLength(out, "utf8") > maxBytes) out = out.slice(0, Math.floor(out.length * 0.9));
  // A cut between the halves of a surrogate pair leaves a lone one: drop it.
  return /[\uD800-\uDBFF]$/.test(out) ? out.slice(0, -1) : out;
}

function rawHeaderValues(lines: { key: string; line: string }[], key: string): string[] {
  return lines.filter((l) => l.key === key).map((l) => l.line.slice(l.line.indexOf(":") + 1).replace(/\r?\n[ \t]+/g, " ").trim());
}

function rawHeaderValue(lines: { key: string; line: string }[], key: string): string | null {
  return rawHeaderValues(lines, key)[0] ?? null;
}

function emptyMessage(parseError: string): ParsedMessage {
  return {
    messageIdHeader: null,
    inReplyTo: null,
    references: [],
    subject: null,
    from: null,
    to: [],
    cc: [],
    bcc: [],
    replyTo: [],
    sentAt: null,
    text: null,
    html: null,
    snippet: null,
    attachments: [],
    isBulk: false,
    parseError,
  };
}

function mailparserSettings(settings: Settings): MailparserSettings {
  const { timeoutMs, keepAttachmentBytes, keepAttachmentTotalBytes, maxHtmlLengthToParse } = settings;
  return { timeoutMs, keepAttachmentBytes, keepAttachmentTotalBytes, maxHtmlLengthToParse };
}

function definedOnly(options: ParseMessageOptions): ParseMessageOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return cleanLine(message).slice(0, 500) || "unknown parse error";
}
