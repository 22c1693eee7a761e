import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// Generators of hostile messages (issue 7, "Proof under fire"). Each writes one file; the big ones
// are streamed to disk in chunks, so no generator holds more than about a megabyte at a time.

export type HostileCase = {
  name: string;
  file: string;
  bytes: number;
  // Distinct text in the Subject (when the case has a readable one), to find the stored row.
  subject: string | null;
};

type Writer = { write(data: string | Buffer): void; close(): number };

const CRLF = "\r\n";
const B64_LINE = 76;

/** Every generated case (or those named in `only`), written into `dir`. */
export function writeHostileMail(dir: string, only?: string[]): HostileCase[] {
  fs.mkdirSync(dir, { recursive: true });
  const cases: HostileCase[] = [];
  const add = (name: string, subject: string | null, generate: (w: Writer) => void) => {
    if (only && !only.includes(name)) return;
    const file = path.join(dir, `${name}.eml`);
    const writer = openWriter(file);
    generate(writer);
    cases.push({ name, file, bytes: writer.close(), subject });
  };

  add("attachment-100mb", "hostile attachment-100mb", (w) => hugeAttachment(w, "hostile attachment-100mb", 100 * 1024 * 1024));
  // Just under the sync's 32 MB fetch limit: fetched whole, so it must parse in full, unflagged.
  add("attachment-30mb", "hostile attachment-30mb", (w) => hugeAttachment(w, "hostile attachment-30mb", 22 * 1024 * 1024));
  add("multipart-10000", "hostile multipart-10000", (w) => manyParts(w, 10_000));
  add("header-1mb", "hostile header-1mb", (w) => hugeHeader(w, 1024 * 1024));
  add("subject-1mb", "hostile subject-1mb", (w) => hugeSubject(w, "hostile subject-1mb", 1024 * 1024));
  // Small enough for the MIME parser's 1 MB header limit, too big for one tsvector (1 MB) as words.
  add("subject-900kb", "hostile subject-900kb", (w) => hugeSubject(w, "hostile subject-900kb", 900 * 1024));
  add("headers-20000", "hostile headers-20000", (w) => manyHeaders(w, 20_000));
  add("recipients-5000", "hostile recipients-5000", (w) => manyRecipients(w, "hostile recipients-5000", 5000, (i) => `"Person ${i}" <person${i}@r${i % 97}.example.test>`));
  // Every address and domain distinct: as search words they pass one tsvector's 1 MB.
  add("recipients-distinct-14000", "hostile recipients-distinct-14000", (w) =>
    manyRecipients(w, "hostile recipients-distinct-14000", 14_000, (i) => `<a-rather-long-local-part-${i}@d${i}.example.test>`),
  );
  add("nested-rfc822-200", "hostile nested-rfc822-200", (w) => nestedMessages(w, 200));
  add("invalid-utf8", null, invalidUtf8);
  add("nul-bytes", null, nulBytes);
  add("missing-boundary", "hostile missing-boundary", missingBoundary);
  add("unclosed-boundary", "hostile unclosed-boundary", unclosedBoundary);
  add("bogus-charset", null, bogusCharset);
  add("line-no-newline-8mb", "hostile line-no-newline-8mb", (w) => endlessLine(w, 8 * 1024 * 1024));
  add("headers-only-no-body", "hostile headers-only-no-body", headersOnly);
  add("not-an-email", null, (w) => w.write(randomBytes(4096)));
  add("empty", null, () => {});
  return cases;
}

/** An ordinary message (for before/after the hostile ones). */
export function ordinaryMessage(subject: string): Buffer {
  return Buffer.from(
    [
      "From: Olga Ordinary <olga@example.test>",
      "To: Alice <alice@example.test>",
      `Subject: ${subject}`,
      "Date: Tue, 24 Nov 2026 10:00:00 +0000",
      `Message-ID: <${subject.replace(/\W+/g, "-")}-${randomBytes(4).toString("hex")}@example.test>`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=utf-8",
      "",
      `Nothing unusual here: ${subject}.`,
      "",
    ].join(CRLF),
  );
}

/** ~`bytes` of random binary, base64 in 76-character lines, after a short text part. */
function hugeAttachment(w: Writer, subject: string, bytes: number) {
  w.write(head(subject, 'multipart/mixed; boundary="big-boundary"'));
  w.write(`--big-boundary${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}The attachment follows.${CRLF}`);
  w.write(`--big-boundary${CRLF}Content-Type: application/octet-stream; name="huge.bin"${CRLF}`);
  w.write(`Content-Disposition: attachment; filename="huge.bin"${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}`);
  // One random block repeated: the bytes on the wire are what matters, not their entropy.
  const block = randomBytes(57 * 16 * 1024); // a multiple of 57 bytes = whole 76-character lines
  const lines = base64Lines(block);
  for (let written = 0; written < bytes; written += block.length) {
    const left = bytes - written;
    w.write(left >= block.length ? lines : base64Lines(block.subarray(0, left)));
  }
  w.write(`--big-boundary--${CRLF}`);
}

function manyParts(w: Writer, parts: number) {
  w.write(head("hostile multipart-10000", 'multipart/mixed; boundary="p"'));
  for (let i = 0; i < parts; i++) {
    w.write(`--p${CRLF}`);
    if (i % 2 === 0) w.write(`Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}part ${i}${CRLF}`);
    else w.write(`Content-Type: application/octet-stream${CRLF}Content-Disposition: attachment; filename="part-${i}.bin"${CRLF}${CRLF}bytes of part ${i}${CRLF}`);
  }
  w.write(`--p--${CRLF}`);
}

/** One header (X-Huge) of about `bytes`, folded into 78-character lines. */
function hugeHeader(w: Writer, bytes: number) {
  w.write(head("hostile header-1mb", "text/plain; charset=utf-8", false));
  w.write("X-Huge:");
  const line = ` ${"h".repeat(76)}${CRLF}`;
  for (let written = 0; written < bytes; written += line.length) w.write(line);
  w.write(`${CRLF}Body after a 1 MB header.${CRLF}`);
}

/** A Subject of ~`bytes` made of distinct words: its tsvector alone would pass Postgres' 1 MB limit. */
function hugeSubject(w: Writer, start: string, bytes: number) {
  let subject = `Subject: ${start}`;
  let chunk = "";
  for (let i = 0; subject.length + chunk.length < bytes; i++) {
    chunk += ` w${i.toString(36)}x${(i * 7919).toString(36)}`;
    if (chunk.length > 70) {
      subject += `${chunk}${CRLF}`;
      chunk = "";
    }
  }
  w.write(subject + chunk + CRLF);
  w.write(head(null, "text/plain; charset=utf-8", false));
  w.write(`${CRLF}A subject of a megabyte.${CRLF}`);
}

function manyHeaders(w: Writer, count: number) {
  for (let i = 0; i < count; i++) w.write(`X-Header-${i}: value ${i}${CRLF}`);
  w.write(head("hostile headers-20000", "text/plain; charset=utf-8", false));
  w.write(`${CRLF}After twenty thousand headers.${CRLF}`);
}

function manyRecipients(w: Writer, subject: string, count: number, address: (i: number) => string) {
  const to = Array.from({ length: count }, (_, i) => address(i)).join(`,${CRLF} `);
  w.write(`To: ${to}${CRLF}`);
  w.write(head(subject, "text/plain; charset=utf-8", false).replace(/^To: .*\r\n/m, ""));
  w.write(`${CRLF}To thousands of people.${CRLF}`);
}

/** message/rfc822 inside message/rfc822, `depth` times, the innermost with a text body. */
function nestedMessages(w: Writer, depth: number) {
  w.write(head("hostile nested-rfc822-200", 'multipart/mixed; boundary="n0"'));
  for (let i = 0; i < depth; i++) {
    w.write(`--n${i}${CRLF}Content-Type: message/rfc822${CRLF}${CRLF}`);
    w.write(`From: level${i}@example.test${CRLF}Subject: level ${i + 1}${CRLF}MIME-Version: 1.0${CRLF}`);
    w.write(`Content-Type: multipart/mixed; boundary="n${i + 1}"${CRLF}${CRLF}`);
  }
  w.write(`--n${depth}${CRLF}Content-Type: text/plain${CRLF}${CRLF}The bottom.${CRLF}--n${depth}--${CRLF}`);
  for (let i = depth - 1; i >= 0; i--) w.write(`--n${i}--${CRLF}`);
}

/** Bytes that are not UTF-8 in every place a parser decodes text. */
function invalidUtf8(w: Writer) {
  const bad = Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0xa0, 0xa1, 0xe2, 0x28, 0xa1, 0xf0, 0x90, 0x28, 0xbc, 0xed, 0xa0, 0x80]);
  const b64 = bad.toString("base64");
  w.write(Buffer.concat([Buffer.from("Subject: hostile invalid-utf8 "), bad, Buffer.from(` =?utf-8?B?${b64}?=${CRLF}`)]));
  w.write(Buffer.concat([Buffer.from('From: "'), bad, Buffer.from(`" <sender@example.test>${CRLF}`)]));
  w.write(Buffer.concat([Buffer.from("To: =?utf-8?Q?=FF=FE?= <alice@example.test>, "), bad, Buffer.from(`@bad.example.test, r\xe9@ex.test${CRLF}`, "latin1")]));
  w.write(Buffer.concat([Buffer.from("Cc: caf"), bad, Buffer.from(`@example.test${CRLF}`)]));
  w.write(Buffer.concat([Buffer.from("Message-ID: <"), bad, Buffer.from(`@example.test>${CRLF}`)]));
  w.write(`Date: Tue, 24 Nov 2026 10:00:00 +0000${CRLF}MIME-Version: 1.0${CRLF}Content-Type: multipart/mixed; boundary="u"${CRLF}${CRLF}`);
  w.write(Buffer.concat([Buffer.from(`--u${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}Content-Transfer-Encoding: 8bit${CRLF}${CRLF}body `), bad, Buffer.from(CRLF)]));
  w.write(Buffer.concat([Buffer.from(`--u${CRLF}Content-Type: text/html; charset=utf-8${CRLF}${CRLF}<p>`), bad, Buffer.from(`</p>${CRLF}`)]));
  w.write(Buffer.concat([Buffer.from(`--u${CRLF}Content-Type: application/octet-stream${CRLF}Content-Disposition: attachment; filename="`), bad, Buffer.from(`.txt"${CRLF}${CRLF}x${CRLF}`)]));
  w.write(`--u${CRLF}Content-Type: application/octet-stream${CRLF}Content-Disposition: attachment; filename*=utf-8''%FF%FE%C3%28.bin${CRLF}${CRLF}y${CRLF}`);
  w.write(`--u${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}${b64}${CRLF}--u--${CRLF}`);
}

function nulBytes(w: Writer) {
  w.write(Buffer.from(`Subject: hostile nul\0bytes\0${CRLF}From: "Nul\0Name" <nul@example.test>${CRLF}To: alice@example.test${CRLF}`, "latin1"));
  w.write(Buffer.from(`X-Nul: a\0b${CRLF}Date: Tue, 24 Nov 2026 10:00:00 +0000${CRLF}Message-ID: <nul-bytes@example.test>${CRLF}`, "latin1"));
  w.write(`MIME-Version: 1.0${CRLF}Content-Type: multipart/mixed; boundary="z"${CRLF}${CRLF}`);
  w.write(Buffer.from(`--z${CRLF}Content-Type: text/plain; charset=utf-8${CRLF}${CRLF}text\0with\0nuls${CRLF}`, "latin1"));
  w.write(`--z${CRLF}Content-Type: text/html; charset=utf-8${CRLF}Content-Transfer-Encoding: base64${CRLF}${CRLF}`);
  w.write(`${Buffer.from("<p>html\0with nul</p>", "latin1").toString("base64")}${CRLF}`);
  w.write(Buffer.from(`--z${CRLF}Content-Type: application/octet-stream${CRLF}Content-Disposition: attachment; filename="nul\0name.bin"${CRLF}${CRLF}\0\0\0${CRLF}--z--${CRLF}`, "latin1"));
}

function missingBoundary(w: Writer) {
  w.write(head("hostile missing-boundary", "multipart/mixed"));
  w.write(`--nowhere${CRLF}Content-Type: text/plain${CRLF}${CRLF}A multipart without a boundary parameter.${CRLF}--nowhere--${CRLF}`);
}

function unclosedBoundary(w: Writer) {
  w.write(head("hostile unclosed-boundary", 'multipart/mixed; boundary="open"'));
  w.write(`--open${CRLF}Content-Type: text/plain${CRLF}${CRLF}First part.${CRLF}`);
  w.write(`--open${CRLF}Content-Type: multipart/alternative; boundary="inner"${CRLF}${CRLF}--inner${CRLF}Content-Type: text/plain${CRLF}${CRLF}Never closed`);
}

function bogusCharset(w: Writer) {
  w.write(Buffer.from(`Subject: hostile bogus-charset =?x-no-such-charset?Q?caf=E9?= \xe9t\xe9 =?utf-8?X?zz?=${CRLF}`, "latin1"));
  w.write(Buffer.from(`From: "R\xe9mi \xff" <remi@example.test>${CRLF}To: =?x-bogus?B?AAEC?= <alice@example.test>${CRLF}`, "latin1"));
  w.write(`Date: Tue, 24 Nov 2026 10:00:00 +0000${CRLF}Message-ID: <bogus-charset@example.test>${CRLF}MIME-Version: 1.0${CRLF}`);
  w.write(`Content-Type: text/plain; charset="x-no-such-charset"${CRLF}Content-Transfer-Encoding: quoted-printable${CRLF}${CRLF}`);
  w.write(Buffer.from(`caf=E9 \xe9t\xe9 =ZZ soft=${CRLF}break${CRLF}`, "latin1"));
}

function endlessLine(w: Writer, bytes: number) {
  w.write(head("hostile line-no-newline-8mb", "text/plain; charset=utf-8"));
  const chunk = "x".repeat(1024 * 1024);
  for (let written = 0; written < bytes; written += chunk.length) w.write(chunk.slice(0, Math.min(chunk.length, bytes - written)));
}

function headersOnly(w: Writer) {
  w.write(head("hostile headers-only-no-body", "text/plain", false));
}

function head(subject: string | null, contentType: string, blankLine = true): string {
  const lines = [
    "From: Hostile Sender <hostile@example.test>",
    "To: Alice <alice@example.test>",
    ...(subject ? [`Subject: ${subject}`] : []),
    "Date: Tue, 24 Nov 2026 10:00:00 +0000",
    `Message-ID: <${randomBytes(8).toString("hex")}@hostile.example.test>`,
    "MIME-Version: 1.0",
    `Content-Type: ${contentType}`,
  ];
  return lines.join(CRLF) + CRLF + (blankLine ? CRLF : "");
}

function base64Lines(bytes: Buffer): string {
  const text = bytes.toString("base64");
  let out = "";
  for (let i = 0; i < text.length; i += B64_LINE) out += text.slice(i, i + B64_LINE) + CRLF;
  return out;
}

function openWriter(file: string): Writer {
  const fd = fs.openSync(file, "w");
  let bytes = 0;
  return {
    write(data) {
      const buffer = typeof data === "string" ? Buffer.from(data, "latin1") : data;
      fs.writeSync(fd, buffer);
      bytes += buffer.length;
    },
    close() {
      fs.closeSync(fd);
      return bytes;
    },
  };
}
