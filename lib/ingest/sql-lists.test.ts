import { describe, expect, test } from "vitest";
import { chunkRows, pgTimestamp } from "./sql-lists";

describe("pgTimestamp", () => {
  test.each([
    ["2001-05-14 10:00:00+00", "2001-05-14T10:00:00.000Z"],
    ["0002-11-30 08:00:00+00", "0002-11-30T08:00:00.000Z"],
    ["1706-12-31 12:19:00.25-05:30", "1706-12-31T17:49:00.250Z"],
    ["2001-05-14T10:00:00+02", "2001-05-14T08:00:00.000Z"],
  ])("%s", (text, expected) => expect(pgTimestamp(text)?.toISOString()).toBe(expected));

  test("dates, nulls and garbage", () => {
    const date = new Date("2020-01-01T00:00:00Z");
    expect(pgTimestamp(date)).toBe(date);
    expect(pgTimestamp(null)).toBeNull();
    expect(pgTimestamp("not a time")).toBeNull();
  });
});

describe("chunkRows", () => {
  test("respects the row cap, the byte budget, and never returns empty chunks", () => {
    const rows = Array.from({ length: 10 }, (_, i) => i);
    expect(chunkRows(rows, 20_000).map((c) => c.length)).toEqual([3, 3, 3, 1]);
    expect(chunkRows(rows, 1, () => 40, 100).map((c) => c.length)).toEqual([2, 2, 2, 2, 2]);
    expect(chunkRows([1], 1, () => 1e9, 10)).toEqual([[1]]);
    expect(chunkRows([], 1)).toEqual([]);
  });
});
