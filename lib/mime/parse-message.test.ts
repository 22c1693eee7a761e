import crypto from "node:crypto";
import { describe, expect, test } from "vitest";
import { parseMessage } from "./parse-message";

const crlf = (lines: string[]) => Buffer.from(lines.join("\r\n"));
const plain = (headers: string[], body = "Hello.") =>
  crlf([...headers, "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8", "", body, ""]);

function hasNoPostgresPoison(value: unknown): boolean {
  const text = JSON.stringify(value, (_k, v) => (Buffer.isBuffer(v) ? null : v));
  return !text.includes("\\u0000") && text === text.toWellFormed();
}

describe("headers", () => {
  test("RFC 2047 encoded words in subject and names are decoded; addresses lower-cased", async () => {
    const parsed = await parseMessage(
      plain([
        "From: =?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <Juergen.Mueller@Example.COM>",
        "To: =?ISO-8859-1?Q?Andr=E9?= <andre@example.fr>, \"Smith, John\" <JOHN@example.com>",
        "Subject: =?UTF-8?B?w4RwZmVs?= =?ISO-8859-1?Q?_und_Birnen?=",
      ]),
    );
    expect(parsed.subject).toBe("Äpfel und Birnen");
    expect(parsed.from).toEqual({ address: "juergen.mueller@example.com", name: "Jürgen Müller" });
    expect(parsed.to).toEqual([
      { address: "andre@example.fr", name: "André" },
      { address: "john@example.com", name: "Smith, John" },
    ]);
    expect(parsed.parseError).toBeNull();
  });

  test("RFC 2231 parameters: encoded and continued attachment filenames", async () => {
    const source = crlf([
      "From: a@example.com",
      "Subject: files",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain",
      "",
      "see attached",
      "--b",
      "Content-Type: application/octet-stream",
      "Content-Disposition: attachment; filename*=utf-8''%C3%A4rger%20%E2%82%AC.txt",
      "",
      "x",
      "--b",
      "Content-Type: text/plain",
      "Content-Disposition: attachment; filename*0*=utf-8''Lang%C3%A9; filename*1=erName.txt",
      "",
      "y",
      "--b--",
      "",
    ]);
    const parsed = await parseMessage(source);
    expect(parsed.attachments.map((a) => a.filename)).toEqual(["ärger €.txt", "LangéerName.txt"]);
  });

  test("unknown charsets and encoded words do not break parsing", async () => {
    const source = Buffer.concat([
      crlf(["From: a@example.com", "Subject: =?x-no-such-charset?Q?caf=E9?= ok", "Content-Type: text/plain; charset=x-no-such-charset", "", ""]),
      Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0d, 0x0a]),
    ]);
    const parsed = await parseMessage(source);
    expect(parsed.subject).toContain("ok");
    expect(parsed.text).toMatch(/^caf/);
    expect(hasNoPostgresPoison(parsed)).toBe(true);
  });

  test("raw 8-bit headers are read in the message's charset, else Windows-1252", async () => {
    const koi8 = Buffer.concat([
      Buffer.from("From: "),
      Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]), // "Привет" in KOI8-R
      Buffer.from(" <ivan@example.ru>\r\nSubject: "),
      Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]),
      Buffer.from("\r\nContent-Type: text/plain; charset=koi8-r\r\n\r\nbody\r\n"),
    ]);
    const parsed = await parseMessage(koi8);
    expect(parsed.subject).toBe("Привет");
    expect(parsed.from).toEqual({ address: "ivan@example.ru", name: "Привет" });

    const latin = Buffer.concat([Buffer.from("From: a@example.com\r\nSubject: Caf"), Buffer.from([0xe9]), Buffer.from("\r\n\r\nbody\r\n")]);
    expect((await parseMessage(latin)).subject).toBe("Café");
    // Valid UTF-8 stays as it is.
    expect((await parseMessage(Buffer.from("From: a@example.com\r\nSubject: Café ☕\r\n\r\nbody\r\n"))).subject).toBe("Café ☕");
  });

  test("Message-ID, In-Reply-To and References are normalised without angle brackets", async () => {
    const parsed = await parseMessage(
      plain([
        "From: a@example.com",
        "Message-ID:   < abc.123@Example.com >",
        "In-Reply-To: <parent@example.com> (Bob's message of Monday)",
        "References: <root@example.com>",
        "  <middle@example.com>",
      ]),
    );
    expect(parsed.messageIdHeader).toBe("abc.123@Example.com");
    expect(parsed.inReplyTo).toBe("parent@example.com");
    // In-Reply-To missing from References is appended (jwz), so threading needs only one column.
    expect(parsed.references).toEqual(["root@example.com", "middle@example.com", "parent@example.com"]);

    const bare = await parseMessage(plain(["From: a@example.com", "Message-ID: bare-id@example.com", "In-Reply-To: other@example.com"]));
    expect(bare.messageIdHeader).toBe("bare-id@example.com");
    expect(bare.references).toEqual(["other@example.com"]);
  });

  test("dates: literal placeholder years kept, bad dates null, never 'now'", async () => {
    const at = async (date?: string) => (await parseMessage(plain(["From: a@example.com", ...(date ? [`Date: ${date}`] : [])]))).sentAt;
    expect((await at("Sun, 30 Nov 0002 00:00:00 -0800 (PST)"))?.toISOString()).toBe("0002-11-30T08:00:00.000Z");
    expect((await at("Mon, 31 Dec 1979 16:00:00 -0800 (PST)"))?.toISOString()).toBe("1980-01-01T00:00:00.000Z");
    expect((await at("Fri, 31 Dec 1706 04:19:00 -0800 (PST)"))?.getUTCFullYear()).toBe(1706);
    expect((await at("14 May 01 16:39 PDT"))?.toISOString()).toBe("2001-05-14T23:39:00.000Z");
    expect(await at("not a date at all")).toBeNull();
    expect(await at()).toBeNull();
  });

  test("invalid addresses are dropped, groups flattened, duplicates removed", async () => {
    const parsed = await parseMessage(
      plain([
        "From: /O=ENRON/OU=NA/CN=RECIPIENTS/CN=SBAILE2",
        "To: undisclosed-recipients:;, Team: Ann <ann@example.com>, BOB@example.com;, bob@example.com, \"x\" <not-an-address>",
        "Cc: <'quoted@example.com'>, broken@, @nolocal.com, user@localhost",
        "Reply-To: List <list@example.org>",
        "Bcc: hidden@example.com",
      ]),
    );
    expect(parsed.from).toBeNull();
    expect(parsed.to.map((a) => a.address)).toEqual(["ann@example.com", "bob@example.com"]);
    expect(parsed.cc.map((a) => a.address)).toEqual(["quoted@example.com"]);
    expect(parsed.replyTo).toEqual([{ address: "list@example.org", name: "List" }]);
    expect(parsed.bcc.map((a) => a.address)).toEqual(["hidden@example.com"]);
  });
});

describe("bodies", () => {
  test("NUL bytes and invalid UTF-8 never reach the result", async () => {
    const source = Buffer.concat([
      crlf(["From: a@example.com", "Subject: nul\u0000here", "Content-Type: text/plain; charset=utf-8", "", ""]),
      Buffer.from([0x61, 0x00, 0x62, 0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0x0d, 0x0a]),
    ]);
    const parsed = await parseMessage(source);
    expect(parsed.subject).toBe("nulhere");
    expect(parsed.text).toContain("ab");
    expect(hasNoPostgresPoison(parsed)).toBe(true);
  });

  test("UTF-16 bodies with lone surrogates come out well-formed", async () => {
    const body = Buffer.from([0x41, 0x00, 0x00, 0xd8, 0x42, 0x00]); // "A", lone high surrogate, "B" (UTF-16LE)
    const source = Buffer.concat([
      crlf(["From: a@example.com", "Content-Type: text/plain; charset=utf-16le", "Content-Transfer-Encoding: base64", "", ""]),
      Buffer.from(body.toString("base64") + "\r\n"),
    ]);
    const parsed = await parseMessage(source);
    expect(hasNoPostgresPoison(parsed)).toBe(true);
  });

  test("HTML-only mail keeps the HTML as is and derives text and snippet from it", async () => {
    const html = "<html><head><style>p{}</style></head><body><p>Hello&nbsp;<b>World</b></p><script>alert(1)</script><div>Second line</div></body></html>";
    const parsed = await parseMessage(
      crlf(["From: a@example.com", "Subject: html", "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8", "", html, ""]),
    );
    expect(parsed.html).toContain("<script>alert(1)</script>");
    expect(parsed.text).toMatch(/Hello\s+WORLD|Hello\s+World/i);
    expect(parsed.text).toContain("Second line");
    expect(parsed.snippet).toMatch(/^Hello/);
    expect(parsed.snippet).not.toContain("<");
  });

  test("inline CID images are kept (content, Content-ID, checksum) and the HTML still says cid:", async () => {
    const png = crypto.randomBytes(3000);
    const source = crlf([
      "From: a@example.com",
      "Subject: picture",
      "MIME-Version: 1.0",
      'Content-Type: multipart/related; boundary="rel"',
      "",
      "--rel",
      "Content-Type: text/html; charset=utf-8",
      "",
      '<p>Look: <img src="cid:img1@example.com"></p>',
      "--rel",
      "Content-Type: image/png",
      "Content-Transfer-Encoding: base64",
      "Content-ID: <img1@example.com>",
      "Content-Disposition: inline",
      "",
      png.toString("base64"),
      "--rel--",
      "",
    ]);
    const parsed = await parseMessage(source);
    expect(parsed.html).toContain('src="cid:img1@example.com"');
    expect(parsed.attachments).toHaveLength(1);
    const [image] = parsed.attachments;
    expect(image).toMatchObject({ contentType: "image/png", contentId: "img1@example.com", inline: true, size: 3000 });
    expect(image!.checksum).toBe(crypto.createHash("sha256").update(png).digest("hex"));
    expect(image!.content?.equals(png)).toBe(true);
  });

  test("big attachments keep metadata and checksum but not their content", async () => {
    const big = crypto.randomBytes(300 * 1024);
    const source = crlf([
      "From: a@example.com",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="m"',
      "",
      "--m",
      "Content-Type: text/plain",
      "",
      "here",
      "--m",
      "Content-Type: application/pdf",
      'Content-Disposition: attachment; filename="big.pdf"',
      "Content-Transfer-Encoding: base64",
      "",
      big.toString("base64").replace(/.{76}/g, "$&\r\n"),
      "--m--",
      "",
    ]);
    const parsed = await parseMessage(source);
    expect(parsed.attachments[0]).toMatchObject({ filename: "big.pdf", size: big.length, inline: false, content: null });
    expect(parsed.attachments[0]!.checksum).toBe(crypto.createHash("sha256").update(big).digest("hex"));
  });

  test("snippet: whitespace collapsed, quoted reply cut, about 200 characters", async () => {
    const body = ["Thanks,   that works\tfor me.", "", "On Mon, 14 May 2001 at 10:00, Bob <bob@example.com> wrote:", "> the old text", "> more old text"].join("\r\n");
    const parsed = await parseMessage(plain(["From: a@example.com"], body));
    expect(parsed.snippet).toBe("Thanks, that works for me.");

    const long = await parseMessage(plain(["From: a@example.com"], "word ".repeat(200)));
    expect(long.snippet!.length).toBeLessThanOrEqual(201);
    expect(long.snippet!.endsWith("…")).toBe(true);

    const outlook = await parseMessage(plain(["From: a@example.com"], "Fine by me.\r\n\r\n -----Original Message-----\r\nFrom: Bob\r\nSent: Monday\r\n\r\nold"));
    expect(outlook.snippet).toBe("Fine by me.");
  });
});

describe("bulk detection", () => {
  const bulk = async (headers: string[]) => (await parseMessage(plain(headers))).isBulk;
  test.each([
    [["From: news@shop.example", "List-Unsubscribe: <mailto:unsub@shop.example>"]],
    [["From: dev@example.org", "List-Id: Developers <dev.lists.example.org>"]],
    [["From: a@example.com", "Precedence: bulk"]],
    [["From: a@example.com", "Precedence: list"]],
    [["From: a@example.com", "Precedence: junk"]],
    [["From: a@example.com", "Auto-Submitted: auto-replied"]],
    [["From: NoReply@service.example"]],
    [["From: no-reply@service.example"]],
    [["From: do-not-reply@service.example"]],
    [["From: donotreply@service.example"]],
    [["From: MAILER-DAEMON@mx.example"]],
    [["From: notifications@github.example"]],
    [["From: bounces+12345@mailer.example"]],
  ])("bulk: %j", async (headers) => expect(await bulk(headers)).toBe(true));

  test.each([
    [["From: alice@example.com"]],
    [["From: alice@example.com", "Auto-Submitted: no"]],
    [["From: alice@example.com", "Precedence: first-class"]],
    [["From: replyguy@example.com"]],
  ])("not bulk: %j", async (headers) => expect(await bulk(headers)).toBe(false));
});

describe("failures", () => {
  test("never throws; sources without headers are flagged", async () => {
    for (const source of [Buffer.alloc(0), Buffer.from("just some text, no headers at all\n"), crypto.randomBytes(5000), Buffer.from("\u0000\u0000\u0000")]) {
      const parsed = await parseMessage(source);
      expect(parsed.parseError).toBeTruthy();
      expect(hasNoPostgresPoison(parsed)).toBe(true);
    }
  });

  test("messages without any header but a body part are flagged, headers-only messages are fine", async () => {
    const parsed = await parseMessage(crlf(["Subject: only a subject", "", ""]));
    expect(parsed.parseError).toBeNull();
    expect(parsed.subject).toBe("only a subject");
    expect(parsed.text).toBeNull();
  });

  test("sources above the parse limit keep their headers, skip the body and are flagged", async () => {
    const source = plain(["From: Big <big@example.com>", "Subject: huge", "Message-ID: <huge@example.com>"], "x".repeat(5000));
    const parsed = await parseMessage(source, { maxParseBytes: 1000 });
    expect(parsed.subject).toBe("huge");
    expect(parsed.from?.address).toBe("big@example.com");
    expect(parsed.messageIdHeader).toBe("huge@example.com");
    expect(parsed.text).toBeNull();
    expect(parsed.parseError).toMatch(/parse limit/);
  });

  test("a header block past the parser's 1 MB limit: parsed again with only the fields Threadline reads, flagged", async () => {
    const huge = `X-Huge:${` ${"h".repeat(76)}\r\n`.repeat(14_000)}`.replace(/\r\n$/, "");
    const many = Array.from({ length: 20_000 }, (_, i) => `X-Header-${i}: value ${i}`);
    for (const extra of [[huge], many]) {
      const parsed = await parseMessage(plain([...extra, "From: Ann <ann@example.com>", "Subject: still here", "Message-ID: <big-head@example.com>"], "The body."));
      expect(parsed.subject).toBe("still here");
      expect(parsed.from?.address).toBe("ann@example.com");
      expect(parsed.messageIdHeader).toBe("big-head@example.com");
      expect(parsed.text?.trim()).toBe("The body.");
      expect(parsed.parseError).toMatch(/header size.*parsed again with only the header fields/i);
    }
  });

  test("subjects are cut to 2,000 UTF-8 bytes (an index row's limit) and flagged; Message-IDs above 998 bytes are dropped", async () => {
    const words = Array.from({ length: 3000 }, (_, i) => `wörd${i}`).join(" ");
    const parsed = await parseMessage(plain([`Subject: ${words}`, `Message-ID: <${"é".repeat(600)}@example.com>`, "From: a@example.com"]));
    expect(Buffer.byteLength(parsed.subject!, "utf8")).toBeLessThanOrEqual(2000);
    expect(words.startsWith(parsed.subject!)).toBe(true);
    expect(parsed.parseError).toMatch(/subject is \d+ characters long/);
    expect(parsed.messageIdHeader).toBeNull();
    const short = await parseMessage(plain(["Subject: short", "From: a@example.com"]));
    expect(short.parseError).toBeNull();
  });

  test("a parser that hangs is abandoned after the timeout", async () => {
    // Several megabytes take many event-loop turns to parse, so a 1 ms budget always runs out.
    const parsed = await parseMessage(plain(["From: a@example.com", "Subject: slow"], "line of text\r\n".repeat(400_000)), { timeoutMs: 1 });
    expect(parsed.parseError).toMatch(/did not finish within 1 ms/);
  });
});
