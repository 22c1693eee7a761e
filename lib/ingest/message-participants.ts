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

// One tsvector holds at most 1 MB: a message to ~10,000 distinct addresses would pass it and fail
// its whole batch, at every pass. Past this many characters (as for the body's 200,000) the later
// participants are not searchable by name; their message_participants rows are all there.
const MAX_PARTICIPANTS_TEXT = 200_000;

/**
 * The text behind the participants part (weight B, 'simple' config) of the search vector: names,
 * full addresses, and the local part and domain on their own so "bob" or "example.com" match too
 * (the tsvector parser keeps a whole address as one token).
 */
export function participantsText(participants: Participant[]): string {
  const words = new Set<string>();
  let length = 0;
  const add = (word: string) => {
    if (words.has(word)) return;
    words.add(word);
    length += word.length + 1;
  };
  for (const p of participants) {
    if (length > MAX_PARTICIPANTS_TEXT) break;
    if (p.name) add(p.name);
    add(p.email);
    const at = p.email.lastIndexOf("@");
    const local = p.email.slice(0, at);
    add(local);
    for (const part of local.split(/[._+-]+/)) if (part && part !== local) add(part);
    add(p.email.slice(at + 1));
  }
  return [...words].join(" ");
}
