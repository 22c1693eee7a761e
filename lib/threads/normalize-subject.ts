// Reply/forward prefixes in the languages mail clients commonly localise them to, with optional counters (Re[2]:, Re(3):).
const replyPrefix =
  /^\s*(?:re|fw|fwd|aw|wg|sv|vs|vb|antw|antwort|odp|pd|res|enc|tr|rif|r|ref|rv|ynt|atb|vl|отв|回复|回覆|答复|转发|轉寄)\s*(?:\[\d+\]|\(\d+\))?\s*[:：]\s*/i;
const listPrefix = /^\s*\[[^\]]{1,60}\]\s*/;

/**
 * The subject key used for thread grouping: reply/forward and [list] prefixes stripped (repeatedly),
 * trailing "(fwd)" dropped, lower-cased, whitespace collapsed. Empty string when nothing is left.
 */
export function normalizeSubject(subject: string | null | undefined): string {
  if (!subject) return "";
  let value = subject.replace(/\s+/g, " ").trim();
  for (let i = 0; i < 20; i++) {
    const next = value.replace(replyPrefix, "").replace(listPrefix, "");
    if (next === value) break;
    value = next;
  }
  value = value.replace(/\s*\((?:fwd|fw)\)\s*$/i, "");
  return value.toLowerCase().replace(/\s+/g, " ").trim();
}
