import fs from "node:fs";
import path from "node:path";

/**
 * The shared test mail (enron/, mime/) lives outside the repository: THREADLINE_CORPUS_DIR, else
 * ../shared/corpus beside the checkout. Null when absent (e.g. a fresh clone elsewhere): tests that
 * need it skip, e.g. `describe.skipIf(!corpusDir)(...)`, and say why with `corpusSkipReason`.
 */
export const corpusDir: string | null = findCorpus();

export const corpusSkipReason =
  "test mail corpus not found: set THREADLINE_CORPUS_DIR or place it at ../shared/corpus beside the repository";

/** Path inside the corpus, e.g. corpusPath("enron"); throws when the corpus is absent. */
export function corpusPath(...parts: string[]): string {
  if (!corpusDir) throw new Error(corpusSkipReason);
  return path.join(corpusDir, ...parts);
}

function findCorpus(): string | null {
  const candidates = [process.env.THREADLINE_CORPUS_DIR, path.resolve(import.meta.dirname, "../../../shared/corpus")];
  for (const candidate of candidates) {
    if (candidate && fs.existsSync(path.join(candidate, "enron"))) return candidate;
  }
  return null;
}
