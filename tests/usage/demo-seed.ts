import type { Database } from "@/db/connect";
import { syncRuns } from "@/db/schema";
import { type MailSeed, type SeededAccount, seedAccount, seedMail } from "@/tests/search/support";

/*
 * A realistic small workspace for browser tests and screenshots: three mailboxes (Gmail synced,
 * IMAP synced, Outlook needing a reconnect), a few dozen messages in threads with attachments and
 * unread mail, and a month of sync runs with throttling, network and sign-in failures. Numbers come
 * from a fixed pseudo-random sequence, so every run draws the same screens.
 */

export type DemoWorkspace = { accounts: { gmail: SeededAccount; imap: SeededAccount; outlook: SeededAccount }; messages: number; runs: number };

const PEOPLE = [
  "Alice Walker <alice@northwind.example>",
  "Bob Stone <bob@northwind.example>",
  "Carmen Diaz <carmen@contoso.example>",
  "Dev Patel <dev@contoso.example>",
  "Erin Cho <erin@fabrikam.example>",
  "Farid Haddad <farid@fabrikam.example>",
];
const TOPICS = [
  { subject: "Pipeline capacity report", body: "Attached is the pipeline capacity report for Q3. Capacity on the northern line is at 82%, we expect maintenance in October." },
  { subject: "Renewal terms for 2025", body: "Following our call, here are the renewal terms. The pipeline discount stays at 12% if we sign before the end of the month." },
  { subject: "Lunch on Thursday?", body: "Are you free for lunch on Thursday? The tacos place near the office reopened." },
  { subject: "Invoice 4471", body: "Please find invoice 4471 attached. Payment terms are 30 days." },
  { subject: "Security review follow-up", body: "The security review found two issues in the pipeline deployment scripts; details inside." },
  { subject: "Hiring: senior engineer loop", body: "Can you join the interview loop for the senior engineer role next Tuesday?" },
  { subject: "Board deck draft", body: "Draft of the board deck. Slide 7 still needs the capacity numbers." },
  { subject: "Quarterly numbers", body: "Quarterly numbers are in: revenue up 14%, churn down to 2.1%." },
];

export async function seedDemoWorkspace(db: Database, { orgId, ownerId, ownerEmail }: { orgId: string; ownerId: string; ownerEmail: string }): Promise<DemoWorkspace> {
  const random = lcg(42);
  // next sync far enough ahead that a running job runtime would leave these fake mailboxes alone.
  const later = new Date(Date.now() + 6 * 3_600_000);
  const gmail = await seedAccount(db, orgId, ownerEmail, { provider: "gmail", authKind: "oauth2", userId: ownerId, status: "active", lastSyncAt: new Date(Date.now() - 4 * 60_000), nextSyncAt: later });
  const imap = await seedAccount(db, orgId, "sales@acme.example", { provider: "imap", userId: ownerId, status: "active", lastSyncAt: new Date(Date.now() - 12 * 60_000), nextSyncAt: later, visibility: "shared" });
  const outlook = await seedAccount(db, orgId, "support@acme.example", {
    provider: "outlook",
    authKind: "oauth2",
    status: "reconnect_needed",
    statusReason: "Microsoft refused the sign-in: reconnect this mailbox.",
    consecutiveFailures: 3,
    lastSyncAt: new Date(Date.now() - 3 * 86_400_000),
    lastErrorAt: new Date(Date.now() - 3_600_000),
  });

  const seeds: MailSeed[] = [];
  for (let i = 0; i < 42; i++) {
    const topic = TOPICS[i % TOPICS.length]!;
    const from = PEOPLE[Math.floor(random() * PEOPLE.length)]!;
    const reply = i >= TOPICS.length;
    seeds.push({
      key: `demo-${i}`,
      from: i % 5 === 4 ? ownerEmail : from,
      to: [i % 5 === 4 ? from : ownerEmail],
      cc: i % 3 === 0 ? [PEOPLE[(i + 2) % PEOPLE.length]!] : [],
      subject: reply ? `Re: ${topic.subject}` : topic.subject,
      body: reply ? `Thanks, noted. ${topic.body.split(".")[0]}.` : topic.body,
      date: new Date(Date.now() - (42 - i) * 17 * 3_600_000).toISOString(),
      inReplyTo: reply ? `demo-${i % TOPICS.length}` : undefined,
      attachments: attachmentsFor(topic.subject, reply, i),
      folders: i % 5 === 4 ? { Sent: ["\\Seen"] } : { INBOX: i > 36 ? [] : ["\\Seen"] },
    });
  }
  // Mail is text to Threadline: markup in a subject must show as characters, never as HTML.
  seeds.push({ key: "demo-markup", from: PEOPLE[2]!, to: [ownerEmail], subject: `<img src=x onerror="document.title='pwned'"> Pipeline <b>markup</b> test`, body: "The pipeline <script>document.title='pwned'</script> should stay text.", date: new Date(Date.now() - 3_600_000).toISOString() });
  await seedMail(db, gmail, seeds.slice(0, 30));
  await seedMail(db, imap, seeds.slice(30));

  const runs: (typeof syncRuns.$inferInsert)[] = [];
  const dayMs = 86_400_000;
  const startOfToday = Math.floor(Date.now() / dayMs) * dayMs;
  for (let daysAgo = 29; daysAgo >= 0; daysAgo--) {
    for (const [account, perDay] of [
      [gmail, 8],
      [imap, 5],
      [outlook, 4],
    ] as const) {
      for (let n = 0; n < perDay; n++) {
        // The first sync of a mailbox walks its backlog in a few long passes.
        const initial = daysAgo === 28 && account !== outlook && n < 3;
        const startedAt = new Date(Math.min(Date.now() - 60_000 * (perDay - n), startOfToday - daysAgo * dayMs + (n * 24 * 3_600_000) / perDay + random() * 3_000_000));
        const seconds = initial ? 120 + random() * 300 : 1.5 + random() * (account === imap ? 14 : 6) + (random() < 0.08 ? 40 : 0);
        let outcome: "success" | "failed" | "partial" = "success";
        let errorKind: string | null = null;
        if (account === outlook && daysAgo <= 2) [outcome, errorKind] = ["failed", "auth"];
        else if (account === gmail && random() < 0.06) [outcome, errorKind] = ["failed", "throttled"];
        else if (account === imap && random() < 0.05) [outcome, errorKind] = ["partial", "network"];
        else if (random() < 0.015) [outcome, errorKind] = ["failed", "timeout"];
        runs.push({
          orgId,
          accountId: account.id,
          trigger: initial ? "initial" : random() < 0.7 ? "schedule" : "idle",
          startedAt,
          finishedAt: new Date(startedAt.getTime() + seconds * 1000),
          outcome,
          messagesAdded: outcome === "failed" ? 0 : initial ? 400 + Math.floor(random() * 300) : Math.floor(random() * (account === gmail ? 60 : 25)),
          messagesUpdated: outcome === "failed" ? 0 : Math.floor(random() * 6),
          messagesDeleted: outcome !== "failed" && random() < 0.2 ? 1 : 0,
          bytes: outcome === "failed" ? 0 : Math.floor(random() * 400_000),
          errorKind,
          error: errorKind === "auth" ? "AUTHENTICATE failed: invalid_grant (token revoked)" : errorKind === "throttled" ? "[THROTTLED] Too many simultaneous connections" : errorKind === "network" ? "Connection reset by peer while fetching" : errorKind === "timeout" ? "No answer from the server within 60 s" : null,
        });
      }
    }
  }
  runs.sort((a, b) => (a.startedAt as Date).getTime() - (b.startedAt as Date).getTime());
  for (let i = 0; i < runs.length; i += 500) await db.insert(syncRuns).values(runs.slice(i, i + 500));
  return { accounts: { gmail, imap, outlook }, messages: seeds.length, runs: runs.length };
}

function attachmentsFor(subject: string, reply: boolean, i: number): string[] {
  const file = subject.toLowerCase().replace(/\W+/g, "-");
  if (subject.startsWith("Invoice")) return [`${file}.pdf`];
  if (subject.startsWith("Pipeline")) return reply ? (i % 2 === 0 ? ["capacity-v2.xlsx"] : []) : [`${file}.pdf`, "northern-line.png"];
  if (subject.startsWith("Board deck") && !reply) return ["board-deck-draft.pptx"];
  return [];
}

/** A small deterministic generator (same numbers every run). */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}
