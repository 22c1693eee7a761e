import { describe, expect, test } from "vitest";
import { nextCronTime, parseCron } from "./cron";

const at = (iso: string) => new Date(iso);

describe("nextCronTime", () => {
  test("every minute, every five minutes, hourly at :30", () => {
    expect(nextCronTime("* * * * *", at("2026-03-01T10:00:20Z")).toISOString()).toBe("2026-03-01T10:01:00.000Z");
    expect(nextCronTime("*/5 * * * *", at("2026-03-01T10:00:00Z")).toISOString()).toBe("2026-03-01T10:05:00.000Z");
    expect(nextCronTime("30 * * * *", at("2026-03-01T10:45:00Z")).toISOString()).toBe("2026-03-01T11:30:00.000Z");
  });

  test("ranges, lists, steps over ranges and rolling over months and years", () => {
    expect(nextCronTime("0 9-17/4 * * *", at("2026-03-01T13:00:00Z")).toISOString()).toBe("2026-03-01T17:00:00.000Z");
    expect(nextCronTime("15 0 1,15 * *", at("2026-03-15T00:16:00Z")).toISOString()).toBe("2026-04-01T00:15:00.000Z");
    expect(nextCronTime("0 0 1 1 *", at("2026-06-01T00:00:00Z")).toISOString()).toBe("2027-01-01T00:00:00.000Z");
    expect(nextCronTime("@daily", at("2026-02-28T23:59:00Z")).toISOString()).toBe("2026-03-01T00:00:00.000Z");
  });

  test("weekdays (0 and 7 are Sunday) and the day-of-month OR day-of-week rule", () => {
    // 2026-03-01 is a Sunday.
    expect(nextCronTime("0 8 * * 1-5", at("2026-03-01T00:00:00Z")).toISOString()).toBe("2026-03-02T08:00:00.000Z");
    expect(nextCronTime("0 8 * * 7", at("2026-03-01T09:00:00Z")).toISOString()).toBe("2026-03-08T08:00:00.000Z");
    expect(nextCronTime("0 0 13 * 5", at("2026-03-01T00:00:00Z")).toISOString()).toBe("2026-03-06T00:00:00.000Z");
  });

  test("refuses what it cannot schedule faithfully", () => {
    expect(() => parseCron("* * * *")).toThrow(/five fields/);
    expect(() => parseCron("61 * * * *")).toThrow(/out of range/);
    expect(() => parseCron("TZ=Europe/Paris 0 9 * * *")).toThrow(/UTC/);
    expect(nextCronTime(parseCron("TZ=UTC 0 9 * * *"), at("2026-03-01T00:00:00Z")).toISOString()).toBe("2026-03-01T09:00:00.000Z");
  });
});
