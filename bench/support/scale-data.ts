import { once } from "node:events";
import type { Sql } from "postgres";
import { type Vocabulary, seededRandom } from "./scale-vocabulary";

/**
 * Fills an empty, migrated database with generated mail at scale: `orgs` organisations whose sizes
 * follow 1/rank (a few big, many small), accounts with mixed visibility, INBOX and Sent, contacts
 * whose activity is Zipf-like (a handful of very busy ones), threads of about three messages, and
 * bodies written with the corpus's word frequencies. Structure is generated server-side with
 * generate_series; only the text (bodies, subjects) is streamed from Node with COPY, since drawing
 * 100M words is fast in JavaScript and slow in SQL. Secondary indexes are dropped while loading and
 * rebuilt afterwards. Prints progress to stderr.
 */
export type ScalePlan = { orgs: number; messages: number; viewerOrgs: number[]; seed: number };
export const VIEWER_ID = "scale-viewer";

const FIRST = "james mary robert patricia john jennifer michael linda david elizabeth william barbara richard susan joseph jessica thomas sarah charles karen christopher lisa daniel nancy matthew betty anthony sandra mark ashley donald kimberly steven emily paul donna andrew michelle joshua carol kenneth amanda kevin melissa brian deborah george stephanie timothy rebecca".split(" ");
const LAST = "smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris sanchez clark ramirez lewis robinson walker young allen king wright scott torres nguyen hill flores green adams nelson baker hall rivera campbell mitchell carter roberts".split(" ");
const TABLES = ["messages", "message_participants", "message_locations", "contacts", "threads", "attachments"];

export async function buildScaleData(sql: Sql, plan: ScalePlan, vocabulary: Vocabulary, log: (m: string) => void) {
  const started = Date.now();
  const step = (m: string) => log(`  [${Math.round((Date.now() - started) / 1000)} s] ${m}`);
  const random = seededRandom(plan.seed);
  await sql.unsafe(
    `set session_replication_role = replica; set work_mem = '256MB'; set maintenance_work_mem = '1GB'; select setseed(${(plan.seed % 1000) / 1000})`,
  ).simple();

  const weights = Array.from({ length: plan.orgs }, (_, i) => 1 / (i + 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  const orgs = weights.map((w, i) => {
    const n = Math.max(200, Math.round((plan.messages * w) / sum));
    return { org_no: i + 1, n, n_accounts: Math.min(20, 1 + Math.floor(n / 10_000)), n_contacts: Math.min(20_000, Math.max(30, Math.floor(n / 8))), n_threads: Math.ceil(n / 3) };
  });

  await sql.unsafe(`
    create function bench_zipf(n int) returns int language sql volatile as $$ select least(n, greatest(1, floor(exp(random() * ln(n + 1)))::int)) $$;
    create function bench_ptext(email text, name text) returns text language sql immutable as $$
      select concat_ws(' ', name, email, split_part(email, '@', 1), nullif(regexp_replace(split_part(email, '@', 1), '[._+-]+', ' ', 'g'), split_part(email, '@', 1)), split_part(email, '@', 2)) $$;
    create table bench_org (org_no int primary key, org_id uuid, n int, n_accounts int, n_contacts int, n_threads int);
    create table bench_account (org_no int, k int, account_id uuid, email text, user_id text, inbox uuid, sent uuid, primary key (org_no, k));
    create table bench_contact (org_no int, c int, contact_id uuid, email text, name text, domain text, primary key (org_no, c));
    create table bench_thread (org_no int, t int, thread_id uuid, k int, subject text, primary key (org_no, t));
    create table bench_text (org_no int, seq int, body text, primary key (org_no, seq));
    create table bench_msg (org_no int, seq int, id uuid, t int, k int, from_c int, to_c int[], cc_c int[], sent_at timestamptz, has_att boolean, primary key (org_no, seq));
    create table bench_vocab (rank int primary key, word text, count int);
    create table bench_meta (key text primary key, value text);`).simple();

  const dropped = await sql<{ indexname: string; indexdef: string }[]>`
    select indexname, indexdef from pg_indexes where schemaname = 'public' and tablename in ${sql(TABLES)}
      and indexname not in (select conname from pg_constraint)`;
  for (const index of dropped) await sql.unsafe(`drop index ${index.indexname}`);
  step(`dropped ${dropped.length} secondary indexes for the load`);

  await copyRows(sql, "bench_vocab (rank, word, count)", vocabulary.ranked.map((w, i) => `${i + 1}\t${w.word}\t${w.count}`));
  await sql`insert into organizations (slug, name) select 'scale-' || o.org_no, 'Scale org ' || o.org_no from json_to_recordset(${JSON.stringify(orgs)}::text::json) as o(org_no int)`;
  await sql`insert into bench_org select o.org_no, g.id, o.n, o.n_accounts, o.n_contacts, o.n_threads
    from json_to_recordset(${JSON.stringify(orgs)}::text::json) as o(org_no int, n int, n_accounts int, n_contacts int, n_threads int)
    join organizations g on g.slug = 'scale-' || o.org_no`;
  await sql`insert into users (id, email, name) values (${VIEWER_ID}, 'viewer@scale.test', 'Scale Viewer')`;
  // The viewer owns account 2 of each of their organisations (when there is one) and sees the rest through visibility.
  await sql`insert into bench_account (org_no, k, account_id, email, user_id)
    select o.org_no, k, gen_random_uuid(), 'user' || k || '@org' || o.org_no || '.scale.test',
      case when o.org_no = any(${plan.viewerOrgs}::int[]) and k = 2 then ${VIEWER_ID} else 'scale-u' || o.org_no || '-' || k end
    from bench_org o, generate_series(1, o.n_accounts) k`;
  await sql`insert into users (id, email, name) select user_id, email, 'User ' || k || ' of ' || org_no from bench_account where user_id <> ${VIEWER_ID}`;
  await sql`insert into memberships (org_id, user_id, role)
    select o.org_id, a.user_id, (case when a.k = 1 then 'owner' else 'member' end)::member_role from bench_account a join bench_org o using (org_no) where a.user_id <> ${VIEWER_ID}`;
  await sql`insert into memberships (org_id, user_id, role) select org_id, ${VIEWER_ID}, 'member' from bench_org where org_no = any(${plan.viewerOrgs}::int[])`;
  await sql`insert into mail_accounts (id, org_id, user_id, provider, email_address, imap_host, imap_port, imap_user, auth_kind, status, visibility)
    select a.account_id, o.org_id, a.user_id, 'imap', a.email, 'imap.scale.test', 993, a.email, 'password', 'active',
      (array['shared','shared','subject','shared','metadata','shared','private','shared','subject','shared'])[1 + a.k % 10]::visibility
    from bench_account a join bench_org o using (org_no)`;
  await sql`insert into mailboxes (org_id, account_id, path, name, special_use)
    select o.org_id, a.account_id, f.path, f.path, f.special from bench_account a join bench_org o using (org_no),
      (values ('INBOX', null), ('Sent', '\\Sent')) as f(path, special)`;
  await sql`update bench_account a set inbox = b.id from mailboxes b where b.account_id = a.account_id and b.path = 'INBOX'`;
  await sql`update bench_account a set sent = b.id from mailboxes b where b.account_id = a.account_id and b.path = 'Sent'`;
  // Contacts: one company domain per ~12 people, a few free-mail addresses.
  await sql`insert into bench_contact (org_no, c, contact_id, email, name, domain)
    select o.org_no, c, gen_random_uuid(), f || '.' || l || c || '@' || d, initcap(f) || ' ' || initcap(l), d
    from bench_org o, generate_series(1, o.n_contacts) c,
      lateral (select (${FIRST}::text[])[1 + c % ${FIRST.length}] as f, (${LAST}::text[])[1 + (c * 7) % ${LAST.length}] as l,
        case when c % 17 = 0 then 'gmail.com' else 'company' || (c / 12) || '-org' || o.org_no || '.example' end as d) x`;
  await sql`insert into contacts (id, org_id, email, name, domain) select c.contact_id, o.org_id, c.email, c.name, c.domain from bench_contact c join bench_org o using (org_no)`;
  step(`${orgs.length} organisations, accounts, mailboxes, contacts`);

  // Threads belong to one account (busy accounts first); messages follow their thread in time.
  await sql`insert into bench_thread (org_no, t, thread_id, k) select o.org_no, t, gen_random_uuid(), bench_zipf(o.n_accounts) from bench_org o, generate_series(1, o.n_threads) t`;
  await sql`insert into bench_msg (org_no, seq, id, t, k, from_c, to_c, cc_c, sent_at, has_att)
    select o.org_no, s, gen_random_uuid(), 1 + (s - 1) / 3, th.k, x.from_c,
      case when x.from_c = 0 then array(select distinct bench_zipf(o.n_contacts) from generate_series(1, 1 + (random() * 2)::int + s * 0)) else array[0] end,
      case when random() < 0.3 then array(select distinct bench_zipf(o.n_contacts) from generate_series(1, 1 + (random() * 2)::int + s * 0)) else '{}' end,
      timestamptz '2023-01-01' + (s::float8 / o.n) * interval '1095 days' + random() * interval '20 hours',
      random() < 0.08
    from bench_org o cross join lateral generate_series(1, o.n) s
      join bench_thread th on th.org_no = o.org_no and th.t = 1 + (s - 1) / 3
      cross join lateral (select case when random() < 0.3 then 0 else bench_zipf(o.n_contacts) end + s * 0 as from_c offset 0) x`;
  step(`${plan.messages} message plans`);

  // Text: subjects per thread, bodies per message (log-normal length, median ~100 words).
  const { sample } = vocabulary;
  const words = (n: number) => {
    const out: string[] = [];
    for (let i = 0; i < n; i++) out.push(sample[Math.floor(random() * sample.length)]!);
    return out;
  };
  for (const org of orgs) {
    await copyRows(sql, "bench_text (org_no, seq, body)", generate(org.n, (seq) => {
      const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
      const n = Math.min(3000, Math.max(5, Math.round(Math.exp(4.6 + 0.9 * normal))));
      const body = words(n);
      for (let i = 12; i < body.length; i += 13) body[i] += "\\n";
      return `${org.org_no}\t${seq}\t${body.join(" ").replaceAll("\\n ", "\\n")}`;
    }));
    const subjects = generate(org.n_threads, (t) => {
      const subject = words(3 + Math.floor(random() * 5)).join(" ");
      return `${org.org_no}\t${t}\t${subject.charAt(0).toUpperCase()}${subject.slice(1)}`;
    });
    await copyRows(sql, "bench_thread_subject (org_no, t, subject)", subjects, "create temp table if not exists bench_thread_subject (org_no int, t int, subject text)");
  }
  await sql`update bench_thread th set subject = s.subject from bench_thread_subject s where s.org_no = th.org_no and s.t = th.t`;
  step("bodies and subjects");

  await sql`insert into threads (id, org_id, subject, normalized_subject, snippet, message_count, first_message_at, last_message_at)
    select th.thread_id, o.org_id, th.subject, lower(th.subject), null, count(*), min(m.sent_at), max(m.sent_at)
    from bench_thread th join bench_org o using (org_no) join bench_msg m on m.org_no = th.org_no and m.t = th.t
    group by th.thread_id, o.org_id, th.subject`;
  step("threads");

  for (const org of orgs) {
    await sql`insert into messages (id, org_id, account_id, thread_id, dedupe_key, message_id_header, subject, from_address, from_name, sent_at, received_at,
        snippet, text_body, has_attachments, size, participants_text)
      select m.id, o.org_id, a.account_id, th.thread_id, 'scale:' || m.id, '<' || m.id || '@scale.test>',
        case when (m.seq - 1) % 3 = 0 then th.subject else 'Re: ' || th.subject end,
        coalesce(f.email, a.email), coalesce(f.name, 'User ' || a.k), m.sent_at, m.sent_at + interval '3 seconds',
        left(replace(b.body, E'\n', ' '), 160), b.body, m.has_att,
        1200 + length(b.body) * 2 + case when m.has_att then (20000 + random() * 400000)::int else 0 end,
        concat_ws(' ', bench_ptext(coalesce(f.email, a.email), coalesce(f.name, 'User ' || a.k)),
          (select string_agg(bench_ptext(coalesce(c.email, a.email), c.name), ' ') from unnest(m.to_c || m.cc_c) u(c)
            left join bench_contact c on c.org_no = m.org_no and c.c = u.c))
      from bench_msg m join bench_org o using (org_no) join bench_account a on a.org_no = m.org_no and a.k = m.k
        join bench_thread th on th.org_no = m.org_no and th.t = m.t join bench_text b on b.org_no = m.org_no and b.seq = m.seq
        left join bench_contact f on f.org_no = m.org_no and f.c = m.from_c
      where m.org_no = ${org.org_no}`;
    if (org.org_no <= 10 || org.org_no % 10 === 0) step(`messages of org ${org.org_no} (${org.n})`);
  }

  await sql`insert into message_participants (message_id, org_id, role, email, name, contact_id)
    select m.id, o.org_id, p.role::participant_role, coalesce(c.email, a.email), coalesce(c.name, 'User ' || a.k), c.contact_id
    from bench_msg m join bench_org o using (org_no) join bench_account a on a.org_no = m.org_no and a.k = m.k
      cross join lateral (select 'from' as role, m.from_c as c union all select 'to', u from unnest(m.to_c) u union all select 'cc', u from unnest(m.cc_c) u) p
      left join bench_contact c on c.org_no = m.org_no and c.c = p.c
    on conflict do nothing`;
  step("participants");
  await sql`insert into message_locations (mailbox_id, uid, message_id, org_id, account_id, flags)
    select case when m.from_c = 0 then a.sent else a.inbox end,
      row_number() over (partition by m.org_no, m.k, m.from_c = 0 order by m.seq), m.id, o.org_id, a.account_id,
      case when random() < 0.03 then array['\\Seen', '\\Flagged'] when random() < 0.67 then array['\\Seen'] else '{}' end
    from bench_msg m join bench_org o using (org_no) join bench_account a on a.org_no = m.org_no and a.k = m.k`;
  await sql`insert into attachments (message_id, org_id, filename, content_type, size)
    select m.id, o.org_id, split_part(b.body, ' ', 1) || (array['.pdf', '.xlsx', '.docx', '.png'])[1 + m.seq % 4],
      'application/octet-stream', (20000 + random() * 400000)::int
    from bench_msg m join bench_org o using (org_no) join bench_text b on b.org_no = m.org_no and b.seq = m.seq where m.has_att`;
  await sql`update contacts c set message_count = x.n, first_seen_at = x.first_at, last_seen_at = x.last_at
    from (select p.contact_id, count(distinct p.message_id) as n, min(m.sent_at) as first_at, max(m.sent_at) as last_at
      from message_participants p join messages m on m.id = p.message_id where p.contact_id is not null group by p.contact_id) x
    where x.contact_id = c.id`;
  await sql`insert into contact_accounts (contact_id, account_id, org_id, message_count, first_at, last_at)
    select p.contact_id, p.account_id, p.org_id, count(distinct p.message_id), min(p.message_at), max(p.message_at)
    from message_participants p where p.contact_id is not null group by p.contact_id, p.account_id, p.org_id`;
  step("locations, attachments, contact figures");

  for (const index of dropped) {
    await sql.unsafe(index.indexdef);
    step(`index ${index.indexname}`);
  }
  await sql`drop table bench_text, bench_msg, bench_thread`;
  await sql`vacuum analyze`;
  step("vacuum analyze");
  // search_storage: written after migration 0009, so the search vectors are already in the rows (scale-search.ts).
  await sql`insert into bench_meta (key, value) values ('messages', ${String(plan.messages)}), ('plan', ${JSON.stringify(plan)}), ('vocabulary', ${vocabulary.origin}), ('search_storage', 'main')`;
}

function* generate(n: number, row: (i: number) => string): Generator<string> {
  for (let i = 1; i <= n; i++) yield row(i);
}

/** COPY ... FROM STDIN in text format; values must already be free of tabs and raw newlines. */
async function copyRows(sql: Sql, target: string, rows: Iterable<string>, prepare?: string) {
  if (prepare) await sql.unsafe(prepare);
  const stream = await sql.unsafe(`copy ${target} from stdin`).writable();
  let chunk: string[] = [];
  for (const row of rows) {
    chunk.push(row);
    if (chunk.length >= 2000) {
      if (!stream.write(chunk.join("\n") + "\n")) await once(stream, "drain");
      chunk = [];
    }
  }
  if (chunk.length) stream.write(chunk.join("\n") + "\n");
  stream.end();
  await once(stream, "finish");
}
