const months: Record<string, number> = {
  jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11,
};
const zones: Record<string, number> = {
  ut: 0, utc: 0, gmt: 0, z: 0, edt: -240, est: -300, cdt: -300, cst: -360, mdt: -360, mst: -420, pdt: -420, pst: -480,
};

/**
 * Parses an RFC 5322 Date header (obsolete forms included) without V8's guessing: "30 Nov 0002" is
 * year 2, not 2002, so placeholder dates stay recognisably bogus. Anything else Date can read is
 * accepted as a fallback; unreadable dates, and years outside 1..9999 (which Postgres and ISO
 * strings cannot round-trip), give null.
 */
export function parseMailDate(raw: string | null | undefined): Date | null {
  if (!raw) return null;
  const value = raw.replace(/\([^)]*\)/g, " ").replace(/\s+/g, " ").trim();
  if (!value) return null;
  const date = parseRfc5322(value) ?? parseLoose(value);
  if (!date) return null;
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999 ? date : null;
}

const rfc5322 =
  /^(?:[a-z]{2,9},?\s*)?(\d{1,2})[\s-]+([a-z]{3})[a-z]*\.?[\s-]+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*([+-]\d{2}:?\d{2}|[a-z]{1,5})?/i;

function parseRfc5322(value: string): Date | null {
  const m = rfc5322.exec(value);
  if (!m) return null;
  const [, dayText, monthText, yearText, hourText, minuteText, secondText, zoneText] = m;
  const month = months[monthText!.toLowerCase()];
  if (month === undefined) return null;
  let year = Number(yearText);
  // RFC 5322 4.3: two-digit years are 19xx/20xx, three-digit years add 1900.
  if (yearText!.length === 2) year += year < 50 ? 2000 : 1900;
  else if (yearText!.length === 3) year += 1900;
  const day = Number(dayText);
  const hour = Number(hourText);
  const minute = Number(minuteText);
  const second = Number(secondText ?? 0);
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return null;
  const offset = zoneOffsetMinutes(zoneText);
  const date = new Date(0);
  date.setUTCFullYear(year, month, day);
  date.setUTCHours(hour, minute - offset, second, 0);
  return Number.isNaN(date.getTime()) ? null : date;
}

function zoneOffsetMinutes(zone: string | undefined): number {
  if (!zone) return 0;
  const numeric = /^([+-])(\d{2}):?(\d{2})$/.exec(zone);
  if (numeric) {
    const minutes = Number(numeric[2]) * 60 + Number(numeric[3]);
    return numeric[1] === "-" ? -minutes : minutes;
  }
  return zones[zone.toLowerCase()] ?? 0;
}

function parseLoose(value: string): Date | null {
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
