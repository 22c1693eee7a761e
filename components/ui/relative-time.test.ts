import { expect, it } from "vitest";
import { relativeLabel } from "./relative-time";

it("labels times the way the UI brief asks", () => {
  const now = new Date(2026, 10, 25, 18, 0); // Wednesday 25 Nov 2026
  const ago = (ms: number) => new Date(now.getTime() - ms);
  expect(relativeLabel(ago(20_000), now)).toBe("just now");
  expect(relativeLabel(ago(5 * 60_000), now)).toBe("5 min ago");
  expect(relativeLabel(ago(2 * 3_600_000), now)).toBe("2 h ago");
  expect(relativeLabel(new Date(2026, 10, 24, 9, 0), now)).toBe("Tue");
  expect(relativeLabel(new Date(2026, 2, 12), now)).toBe("12 Mar");
  expect(relativeLabel(new Date(2025, 2, 12), now)).toBe("12 Mar 2025");
  expect(relativeLabel(new Date(2026, 11, 2, 18, 0), now)).toBe("in 7 days");
  expect(relativeLabel(new Date(now.getTime() + 3 * 3_600_000), now)).toBe("in 3 h");
});
