// Plain JavaScript on purpose: lib/mime/parse-worker.mjs runs this in worker threads, which load files
// with Node's own loader (no TypeScript transform under vitest, tsx or a built Next server).
import { createHash } from "node:crypto";
import { MailParser } from "mailparser";

// Only what lib/mime/parse-message.ts reads is kept (a message can carry hundreds of Received or
// DKIM lines, and whatever is kept crosses a thread boundary in the worker pool). Reading another
// header there means adding it here.
export const KEPT_HEADERS = new Set(["content-type", "from", "sender", "to", "cc", "bcc", "reply-to", "subject", "list", "precedence", "auto-submitted"]);
export const KEPT_HEADER_LINES = new Set(["from", "sender", "to", "cc", "bcc", "reply-to", "message-id", "in-reply-to", "references", "subject", "date"]);

/**
 * One mailparser run over a whole source, with the limits of lib/mime/parse-message.ts: text parts
 * buffered, attachment parts kept up to `keepAttachmentBytes` each and `keepAttachmentTotalBytes` in
 * all (bigger ones stream through a SHA-256 hash and are dropped), abandoned after `timeoutMs`.
 * Never rejects: a failure is in `error`, next to whatever was read before it.
 *
 * @param {Buffer} source
 * @param {import("./run-mailparser.mjs").MailparserSettings} settings
 * @returns {Promise<import("./run-mailparser.mjs").RawParse>}
 */
export function runMailparser(source, settings) {
  return new Promise((resolve) => {
    /** @type {import("./run-mailparser.mjs").RawParse} */
    const result = { headers: null, headerLines: [], text: null, html: null, textConversionFailed: false, attachments: [], error: null };
    let keptBytes = 0;
    let settled = false;
    const parser = new MailParser({
      skipTextToHtml: true,
      skipTextLinks: true,
      skipImageLinks: true,
      checksumAlgo: "sha256",
      maxHtmlLengthToParse: settings.maxHtmlLengthToParse,
    });
    const finish = (error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) result.error = error;
      if (error) parser.destroy();
      resolve(result);
    };
    const timer = setTimeout(() => finish(new Error(`parser did not finish within ${settings.timeoutMs} ms`)), settings.timeoutMs);

    parser.on("headers", (headers) => {
      result.headers = new Map([...headers].filter(([key]) => KEPT_HEADERS.has(key)));
    });
    parser.on("headerLines", (lines) => {
      result.headerLines = lines.filter((line) => KEPT_HEADER_LINES.has(line.key));
    });
    parser.on("error", (error) => finish(error));
    parser.on("end", () => finish());
    parser.on("data", (data) => {
      if (data.type === "text") {
        result.text = typeof data.text === "string" ? data.text : null;
        result.html = typeof data.html === "string" ? data.html : null;
        result.textConversionFailed = Boolean(data.textConversionError);
        return;
      }
      if (data.type !== "attachment") return;
      const chunks = [];
      let size = 0;
      let keep = true;
      const hash = createHash("sha256");
      data.content.on("data", (chunk) => {
        size += chunk.length;
        hash.update(chunk);
        if (!keep) return;
        if (size > settings.keepAttachmentBytes || keptBytes + size > settings.keepAttachmentTotalBytes) {
          keep = false;
          chunks.length = 0;
          return;
        }
        chunks.push(chunk);
      });
      data.content.on("end", () => {
        if (keep) keptBytes += size;
        result.attachments.push({
          contentType: stringOrNull(data.contentType),
          contentDisposition: stringOrNull(data.contentDisposition),
          filename: stringOrNull(data.filename),
          cid: stringOrNull(data.cid),
          related: Boolean(data.related),
          size,
          checksum: hash.digest("hex"),
          content: keep ? Buffer.concat(chunks, size) : null,
        });
        data.release?.();
      });
      data.content.on("error", (error) => finish(error));
    });
    feed(parser, source, () => settled).catch((error) => finish(error));
  });
}

// Written in slices, waiting whenever the parser asks: handed a 30 MB source in one write, mailparser
// decodes every part at once and holds all of it (~2.5x the source at the peak); fed this way an
// attachment flows through its hash a slice at a time.
const FEED_BYTES = 256 * 1024;

/**
 * @param {MailParser} parser
 * @param {Buffer} source
 * @param {() => boolean} stopped
 */
async function feed(parser, source, stopped) {
  for (let offset = 0; offset < source.length; offset += FEED_BYTES) {
    if (stopped()) return;
    if (!parser.write(source.subarray(offset, offset + FEED_BYTES))) {
      await new Promise((resolve) => {
        // A parser that fails or is abandoned meanwhile never drains.
        const done = () => {
          parser.off("drain", done);
          parser.off("close", done);
          parser.off("error", done);
          clearInterval(poll);
          resolve(undefined);
        };
        const poll = setInterval(() => stopped() && done(), 50);
        parser.on("drain", done);
        parser.on("close", done);
        parser.on("error", done);
      });
    }
  }
  if (!stopped()) parser.end();
}

function stringOrNull(value) {
  return typeof value === "string" ? value : null;
}
