const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/**
 * Headers are supposed to be ASCII (non-ASCII goes in RFC 2047 encoded words), but plenty of mailers
 * send raw 8-bit bytes in the body's charset. mailparser reads those as UTF-8 and produces U+FFFD.
 * Given the raw header value as a latin1 byte string, this returns it decoded with `charset` when
 * the bytes are not valid UTF-8, or null when mailparser's reading is already right.
 */
export function redecodeRawHeader(latin1: string | null, charset: string): string | null {
  if (!latin1 || !/[\x80-\xff]/.test(latin1) || latin1.includes("=?")) return null;
  const bytes = Buffer.from(latin1, "latin1");
  try {
    strictUtf8.decode(bytes);
    return null;
  } catch {
    return decodeWith(bytes, charset) ?? decodeWith(bytes, "windows-1252");
  }
}

/** The charset to try for raw 8-bit headers: the message's declared one, else Windows-1252 (a superset of Latin-1). */
export function headerFallbackCharset(contentType: unknown): string {
  const charset = (contentType as { params?: { charset?: unknown } } | undefined)?.params?.charset;
  if (typeof charset !== "string") return "windows-1252";
  const normalized = charset.trim().toLowerCase();
  return !normalized || /^(utf-?8|us-ascii|ascii)$/.test(normalized) ? "windows-1252" : normalized;
}

function decodeWith(bytes: Buffer, charset: string): string | null {
  try {
    return new TextDecoder(charset).decode(bytes);
  } catch {
    return null;
  }
}
