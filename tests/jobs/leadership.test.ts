import { expect, test } from "vitest";
import type { EventInput } from "@/lib/jobs/in-process/in-process-runner";
import { type Leadership, startLeadership } from "@/lib/jobs/jobs-leadership";
import { fileTestDatabase } from "@/tests/support/test-database";
import { until } from "./support/in-process-jobs";

// Two processes on one Postgres (app and worker): one leads, the other forwards its events, and
// takes over when the leader goes.

const database = fileTestDatabase({ engine: "postgres" });
test("one leader; followers forward events to it; a follower takes over when it stops", async () => {
  const a = await participant("a");
  const b = await participant("b");
  try {
    expect(a.leadership.isLeader()).toBe(true);
    expect(b.leadership.isLeader()).toBe(false);
    expect(a.log).toEqual(["lead"]);
    expect(b.log).toEqual(["follow"]);

    await b.leadership.forward([{ name: "threadline/account.sync.requested", data: { accountId: "x", reason: "manual" } }]);
    await until(() => a.received.length === 1, 5_000, "event forwarded");
    expect(a.received[0]).toMatchObject({ name: "threadline/account.sync.requested", data: { accountId: "x" } });
    expect(a.received[0]!.id).toBeTruthy();

    await a.leadership.stop();
    expect(a.log).toEqual(["lead", "follow"]);
    await until(() => b.log.length === 2, 5_000, "takeover");
    expect(b.leadership.isLeader()).toBe(true);
    expect(b.log).toEqual(["follow", "lead"]);
  } finally {
    await Promise.all([a.leadership.stop(), b.leadership.stop()]);
  }
});

async function participant(name: string) {
  const log: string[] = [];
  const received: EventInput[] = [];
  const leadership: Leadership = await startLeadership({
    url: database.url!,
    onLead: async () => void log.push("lead"),
    onFollow: async () => void log.push("follow"),
    onEvents: (events) => received.push(...events),
    retryMs: 100,
  });
  return { name, log, received, leadership };
}
