/**
 * Makes a string safe for a Postgres `text` column: Postgres refuses U+0000 and
 * the drivers would otherwise send lone UTF-16 surrogates as invalid UTF-8.
 * Other C0 controls are kept except in single-line values (see cleanLine).
 */
export function cleanText(value: string): string {
  let out = value.includes("\u0000") ? value.replace(/\u0000/g, "") : value;
  if (hasLoneSurrogate(out)) out = toWellFormed(out);
  return out;
}

/** Like cleanText, for one-line values (subjects, names): controls and runs of whitespace become one space. */
export function cleanLine(value: string): string {
  return cleanText(value).replace(/[\u0000-\u001f\u007f\s]+/g, " ").trim();
}

export function cleanNullable(value: string | null | undefined): string | null {
  if (value == null) return null;
  const out = cleanText(value);
  return out.length ? out : null;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function hasLoneSurrogate(value: string): boolean {
  return loneSurrogate.test(value);
}

function toWellFormed(value: string): string {
  const native = (value as unknown as { toWellFormed?: () => string }).toWellFormed;
  if (native) return native.call(value);
  return value.replace(new RegExp(loneSurrogate.source, "g"), "\uFFFD");
}
