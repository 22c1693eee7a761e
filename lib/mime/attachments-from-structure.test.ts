import { describe, expect, test } from "vitest";
import { attachmentsFromStructure, completeAttachments } from "./attachments-from-structure";
import type { ParsedAttachment } from "./parsed-message";

const structure = {
  type: "multipart/mixed",
  childNodes: [
    { part: "1", type: "text/plain", size: 20 },
    { part: "2", type: "image/png", id: "<logo@x>", disposition: "inline", encoding: "base64", size: 7800 },
    { part: "3", type: "application/octet-stream", disposition: "attachment", dispositionParameters: { filename: "huge.bin" }, encoding: "base64", size: 78_000_000 },
    { part: "4", type: "message/rfc822", size: 500, childNodes: [{ type: "text/plain", size: 100 }] },
    { part: "5", type: "text/plain", disposition: "attachment", parameters: { name: "notes.txt" }, size: 42 },
  ],
};

describe("attachmentsFromStructure", () => {
  test("lists every non-body leaf with its decoded size, never content or checksum", () => {
    expect(attachmentsFromStructure(structure)).toEqual([
      { filename: null, contentType: "image/png", size: 5700, contentId: "logo@x", inline: true, checksum: null, content: null },
      { filename: "huge.bin", contentType: "application/octet-stream", size: 57_000_000, contentId: null, inline: false, checksum: null, content: null },
      { filename: null, contentType: "message/rfc822", size: 500, contentId: null, inline: false, checksum: null, content: null },
      { filename: "notes.txt", contentType: "text/plain", size: 42, contentId: null, inline: false, checksum: null, content: null },
    ]);
  });

  test("completeAttachments keeps what the prefix parsed whole and takes the rest from the structure", () => {
    const listed = attachmentsFromStructure(structure);
    const logo: ParsedAttachment = { ...listed[0]!, size: 5690, checksum: "abc", content: Buffer.from("png") };
    const cut: ParsedAttachment = { ...listed[1]!, size: 1_000_000, checksum: "partial" };
    const done = completeAttachments([logo, cut], listed);
    expect(done).toHaveLength(4);
    expect(done[0]).toBe(logo);
    expect(done[1]).toEqual(listed[1]);
    expect(done.slice(2)).toEqual(listed.slice(2));
  });
});
