import fs from "node:fs";
import path from "node:path";

/** The shared test corpus (THREADLINE_CORPUS_DIR or ../shared/corpus), or null when it is not there. */
export function corpusDir(sub: string): string | null {
  const root = process.env.THREADLINE_CORPUS_DIR ?? path.resolve(process.cwd(), "../shared/corpus");
  const dir = path.join(root, sub);
  return fs.existsSync(dir) ? dir : null;
}

export function corpusFiles(dir: string): { name: string; source: Buffer }[] {
  return fs
    .readdirSync(dir)
    .filter((name) => fs.statSync(path.join(dir, name)).isFile())
    .sort()
    .map((name) => ({ name, source: fs.readFileSync(path.join(dir, name)) }));
}

export const skipMessage = (sub: string) =>
  `corpus folder "${sub}" not found (set THREADLINE_CORPUS_DIR or put the corpus at ../shared/corpus): skipped`;
