/**
 * How many UIDs an IMAP command line asks bodies for: `UID FETCH <set> (... BODY.PEEK[] ...)`.
 * Flag-only fetches (CONDSTORE, flag refresh) do not count.
 */
export function countBodyFetchUids(line: string): number {
  const match = /^\S+ UID FETCH (\S+) .*BODY\.PEEK\[\]/i.exec(line);
  if (!match) return 0;
  let n = 0;
  for (const part of match[1]!.split(",")) {
    const [from, to] = part.split(":").map(Number);
    // An open range ("n:*") cannot be counted: make it fail any bound loudly.
    n += to === undefined ? 1 : Number.isNaN(to) ? Number.POSITIVE_INFINITY : Math.abs(to - from!) + 1;
  }
  return n;
}
