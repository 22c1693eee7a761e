import { describe, expect, test } from "vitest";
import { excerptSegments, markSubject } from "./search-highlights";

const words = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `w${from + i}`).join(" ");
const text = (segments: { text: string }[]) => segments.map((s) => s.text).join("");
const marked = (segments: { text: string; match: boolean }[]) => segments.filter((s) => s.match).map((s) => s.text);

describe("markSubject", () => {
  test("marks every matched word, whatever its case, and leaves markup as text", () => {
    expect(markSubject("Walrus <b>in</b> the walrus  pool", new Set(["walrus"]))).toEqual([
      { text: "Walrus", match: true },
      { text: " <b>in</b> the ", match: false },
      { text: "walrus", match: true },
      { text: " pool", match: false },
    ]);
    expect(markSubject("Nothing here", new Set())).toEqual([{ text: "Nothing here", match: false }]);
    // Never inside a longer word.
    expect(markSubject("Walruses", new Set(["walrus"]))).toEqual([{ text: "Walruses", match: false }]);
  });

  test("an address or a dotted name matched as one word is marked as one", () => {
    expect(markSubject("Mail mary.davis@acme.example today", new Set(["mary.davis@acme.example"]))).toEqual([
      { text: "Mail ", match: false },
      { text: "mary.davis@acme.example", match: true },
      { text: " today", match: false },
    ]);
    const segments = excerptSegments(`${words(0, 20)} ann.lee@acme.example ${words(20, 40)}`, new Set(["ann.lee@acme.example"]), false);
    expect(marked(segments)).toEqual(["ann.lee@acme.example"]);
    expect(text(segments).startsWith("w15 ")).toBe(true);
  });
});

describe("excerptSegments", () => {
  test("starts a few words before the first match and shows at most 30 words", () => {
    const segments = excerptSegments(`${words(0, 20)} Zebra ${words(20, 60)}`, new Set(["zebra"]), false);
    expect(text(segments)).toBe(`${words(15, 20)} Zebra ${words(20, 44)}`);
    expect(marked(segments)).toEqual(["Zebra"]);
  });

  test("a later match past the first fragment gets a second one, after an ellipsis", () => {
    const segments = excerptSegments(`zebra ${words(0, 50)} zebra ${words(50, 60)}`, new Set(["zebra"]), false);
    expect(text(segments)).toBe(`zebra ${words(0, 29)} … ${words(45, 50)} zebra ${words(50, 60)}`);
    expect(marked(segments)).toEqual(["zebra", "zebra"]);
    // Right after the first fragment: one longer fragment, no ellipsis.
    expect(text(excerptSegments(`zebra ${words(0, 29)} zebra ${words(29, 40)}`, new Set(["zebra"]), false))).toBe(`zebra ${words(0, 29)} zebra ${words(29, 40)}`);
  });

  test("words cut by the window's edges are left out", () => {
    // The window starts mid-body ("ords" of "words") and is full (400 characters), ending mid-word.
    const body = `ords one two zebra three ${"x".repeat(400)}`.slice(0, 400);
    expect(text(excerptSegments(body, new Set(["zebra"]), true))).toBe("one two zebra three");
    // At the body's start nothing is cut.
    expect(text(excerptSegments("ords one zebra", new Set(["zebra"]), false))).toBe("ords one zebra");
  });

  test("without a match the excerpt's first 30 words; without a query the text as it is", () => {
    expect(text(excerptSegments(words(0, 40), new Set(["zebra"]), false))).toBe(words(0, 30));
    expect(excerptSegments("Plain  snippet,\nunchanged.", null, false)).toEqual([{ text: "Plain snippet, unchanged.", match: false }]);
  });
});
