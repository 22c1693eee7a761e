/** "980 B", "14 KB", "2.3 MB": sizes as people read them. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "";
  if (bytes < 1000) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** How a person is named in a list: their name, else the address's local part. */
export function personLabel(person: { email: string; name: string | null }, own?: boolean): string {
  if (own) return "me";
  return person.name?.trim() || person.email.split("@")[0]!;
}
