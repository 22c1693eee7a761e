import type { MessageStructureObject } from "imapflow";
import { cleanLine } from "./clean-text";
import type { ParsedAttachment } from "./parsed-message";

// Mail with more parts than this is hostile or broken; the parse is flagged anyway.
const MAX_PARTS = 1000;

/**
 * The attachments a message's BODYSTRUCTURE lists, for a message too big to fetch whole: names, types
 * and sizes (decoded, estimated from the encoded size the server reports), no content or checksum.
 * Like mailparser, every leaf part except text/plain and text/html bodies is an attachment; an
 * attached message (message/rfc822) is one attachment, not its parts.
 */
export function attachmentsFromStructure(root: MessageStructureObject): ParsedAttachment[] {
  const out: ParsedAttachment[] = [];
  const visit = (node: MessageStructureObject) => {
    if (out.length >= MAX_PARTS) return;
    const type = (node.type || "application/octet-stream").toLowerCase();
    if (type.startsWith("multipart/")) {
      for (const child of node.childNodes ?? []) visit(child);
      return;
    }
    const disposition = node.disposition?.toLowerCase() ?? null;
    if (disposition !== "attachment" && (type === "text/plain" || type === "text/html")) return;
    const filename = node.dispositionParameters?.filename ?? node.parameters?.name ?? null;
    const contentId = node.id ? cleanLine(node.id).replace(/^<|>$/g, "") : null;
    out.push({
      filename: filename ? cleanLine(filename).slice(0, 1000) || null : null,
      contentType: cleanLine(type).slice(0, 255) || "application/octet-stream",
      size: decodedSize(node.size ?? 0, node.encoding),
      contentId: contentId ? contentId.slice(0, 998) : null,
      inline: disposition === "inline",
      checksum: null,
      content: null,
    });
  };
  visit(root);
  return out;
}

/**
 * The attachments of a message parsed from its beginning only, completed from its BODYSTRUCTURE:
 * those the prefix held whole keep what the parse found (exact size, checksum, small content); the
 * one cut short and those after it come from the structure.
 */
export function completeAttachments(parsed: ParsedAttachment[], structure: ParsedAttachment[]): ParsedAttachment[] {
  return structure.map((listed, i) => {
    const found = parsed[i];
    const same = found && found.filename === listed.filename && found.contentType === listed.contentType;
    // base64 estimates run a little high; a part the prefix cut short is far below its listed size.
    return same && found.size >= listed.size * 0.9 ? found : listed;
  });
}

function decodedSize(encoded: number, encoding: string | undefined): number {
  // 76 base64 characters and a line break carry 57 bytes.
  return encoding?.toLowerCase() === "base64" ? Math.floor((encoded * 57) / 78) : encoded;
}
