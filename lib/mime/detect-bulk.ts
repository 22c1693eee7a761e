type HeaderMap = Map<string, unknown>;

// Local parts of machine senders: noreply@, no-reply@, do_not_reply@, mailer-daemon@, notifications@, bounces+x@ ...
const machineLocalPart =
  /^(?:.*[-_.+])?(?:no-?reply|noreply|do-?not-?reply|donotreply|mailer-?daemon|postmaster|notifications?|bounces?|newsletters?)(?:[-_.+].*)?$/;

/**
 * Bulk mail: mailing lists (List-Id, List-Unsubscribe and other List-* headers), Precedence
 * bulk/list/junk, Auto-Submitted other than "no", and machine senders such as no-reply addresses.
 */
export function detectBulk(headers: HeaderMap, fromAddress: string | null): boolean {
  const list = headers.get("list");
  if (list && typeof list === "object" && Object.keys(list).some((k) => k === "unsubscribe" || k === "id")) return true;
  const precedence = firstString(headers.get("precedence")).toLowerCase();
  if (/\b(bulk|list|junk)\b/.test(precedence)) return true;
  const autoSubmitted = firstString(headers.get("auto-submitted")).toLowerCase().trim();
  if (autoSubmitted && !autoSubmitted.startsWith("no")) return true;
  if (fromAddress && isMachineAddress(fromAddress)) return true;
  return false;
}

export function isMachineAddress(address: string): boolean {
  const local = address.slice(0, address.lastIndexOf("@"));
  return machineLocalPart.test(local);
}

function firstString(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value)) return firstString(value[0]);
  return "";
}
