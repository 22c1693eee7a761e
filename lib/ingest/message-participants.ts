import { cleanLine } from "@/lib/mime/clean-text";
import { normalizeAddress } from "@/lib/mime/normalize-address";
import type { Address, ParsedMessage } from "@/lib/mime/parsed-message";

export type ParticipantRole = "from" | "to" | "cc" | "bcc" | "reply_to";
export type Participant = { email: string; name: string | null; role: ParticipantRole };

/** Every (role, address) pair of a message once, in header order. */
export function listParticipants(parsed: ParsedMessage): Participant[] {
  const out: Participant[] = [];
  const seen = new Set<string>();
  const push = (role: ParticipantRole, list: Address[]) => {
    for (const a of list) {
      // parseMessage already normalises; this keeps hand-made ParsedMessages to the same rules.
      const email = normalizeAddress(a?.address);
      if (!email) continue;
      const key = `${role} ${email}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ email, name: a.name ? cleanLine(a.name) || null : null, role });
    }
  };
  push("from", parsed.from ? [parsed.from] : []);
  push("to", parsed.to);
  push("cc", parsed.cc);
  push("bcc", parsed.bcc);
  push("reply_to", parsed.replyTo);
  return out;
}

/**
 * The text behind the participants part (weight B, 'simple' config) of the search vector: names,
 * full addresses, and the local part and domain on their own so "bob" or "example.com" match too
 * (the tsvector parser keeps a whole address as one token).
 */
export function participantsText(participants: Participant[]): string {
  const words = new Set<string>();
  for (const p of participants) {
    if (p.name) words.add(p.name);
    words.add(p.email);
    const at = p.email.lastIndexOf("@");
    const local = p.email.slice(0, at);
    words.add(local);
    for (const part of local.split(/[._+-]+/)) if (part && part !== local) words.add(part);
    words.add(p.email.slice(at + 1));
  }
  return [...words].join(" ");
}
