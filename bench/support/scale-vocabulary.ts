import fs from "node:fs";
import path from "node:path";

/**
 * Words to write generated mail with, each repeated in proportion to how often real mail uses it, so
 * that drawing uniformly from `sample` reproduces the corpus's word frequencies: "the", "please" and
 * "enron" really are common, and the long tail really is rare. From the Enron corpus when present,
 * else from a built-in list with Zipf-like weights.
 */
export type Vocabulary = { origin: string; sample: string[]; ranked: { word: string; count: number }[] };

const SAMPLE_SIZE = 200_000;
const MAX_WORDS = 40_000;

export function loadVocabulary(corpusRoot: string): Vocabulary {
  const dir = path.join(corpusRoot, "enron");
  const counts = new Map<string, number>();
  let origin = "built-in word list";
  if (fs.existsSync(dir)) {
    origin = dir;
    for (const file of fs.readdirSync(dir)) {
      if (!file.endsWith(".eml")) continue;
      const text = fs.readFileSync(path.join(dir, file), "latin1");
      const body = text.slice(Math.max(0, text.search(/\r?\n\r?\n/)));
      for (const word of body.toLowerCase().match(/[a-z][a-z']{1,15}/g) ?? []) counts.set(word, (counts.get(word) ?? 0) + 1);
    }
  } else {
    BUILT_IN.split(/\s+/).forEach((word, i) => counts.set(word, Math.round(100_000 / (i + 1))));
    // A tail of made-up words, each rare.
    for (let i = 0; i < 20_000; i++) counts.set(`zq${i.toString(36)}`, 1);
  }
  const ranked = [...counts].map(([word, count]) => ({ word, count })).sort((a, b) => b.count - a.count || (a.word < b.word ? -1 : 1)).slice(0, MAX_WORDS);
  const total = ranked.reduce((sum, w) => sum + w.count, 0);
  const sample: string[] = [];
  // Every word at least once, so the tail exists; the head in proportion to its count.
  for (const { word, count } of ranked) for (let i = Math.max(1, Math.round((count / total) * SAMPLE_SIZE)); i > 0; i--) sample.push(word);
  return { origin, sample, ranked };
}

/** A seeded generator (mulberry32): the same data on every build. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BUILT_IN = `the to and of a in for is on that this with be you it have will are at as we from by please
not your our if can or would any all has an was me thanks know let but been should am they meeting more there
which do what call about time one new get information who so may gas power he need market energy price business
deal contract also week today these some me out other following send attached review up just us here report
agreement group questions could their like next when how credit trading pipeline change project issue date
help company work please-advise forward order team letter capacity management meeting schedule account
budget legal financial customer service transmission california utility regulatory contact office sale
proposal comments draft list plan offer access process conference update quarter analysis risk approval
settlement invoice electricity supply demand volume natural storage transport option swap hedge position
desk counterparty portfolio exposure margin settlement nomination interconnect tariff filing commission
hearing testimony docket rate case order ruling appeal merger acquisition bankruptcy restructuring`;
