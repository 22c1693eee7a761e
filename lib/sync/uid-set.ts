/** IMAP sequence-set of ascending UIDs, ranges collapsed: [1,2,3,7] → "1:3,7". */
export function uidSet(uids: readonly number[]): string {
  const sorted = [...uids].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1]! <= sorted[j]! + 1) j++;
    parts.push(sorted[i] === sorted[j] ? String(sorted[i]) : `${sorted[i]}:${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** Splits ascending UIDs into chunks of at most `size`, highest chunk first when `newestFirst`. */
export function chunkUids(uids: readonly number[], size: number, newestFirst = false): number[][] {
  const sorted = [...uids].sort((a, b) => a - b);
  const chunks: number[][] = [];
  if (newestFirst) {
    for (let end = sorted.length; end > 0; end -= size) chunks.push(sorted.slice(Math.max(0, end - size), end));
  } else {
    for (let start = 0; start < sorted.length; start += size) chunks.push(sorted.slice(start, start + size));
  }
  return chunks;
}
