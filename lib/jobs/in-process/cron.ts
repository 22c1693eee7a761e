// Five-field cron ("m h dom mon dow") as Inngest accepts it, in UTC (or a "TZ=UTC " prefix).
const FIELDS = [
  { name: "minute", min: 0, max: 59 },
  { name: "hour", min: 0, max: 23 },
  { name: "day of month", min: 1, max: 31 },
  { name: "month", min: 1, max: 12 },
  { name: "day of week", min: 0, max: 7 },
] as const;

const MACROS: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

export type CronSchedule = {
  minutes: Set<number>;
  hours: Set<number>;
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  // Standard cron: when both day fields are restricted, a day matches if either does.
  dayOr: boolean;
};

export function parseCron(expression: string): CronSchedule {
  let text = expression.trim();
  const tz = /^(?:CRON_)?TZ=(\S+)\s+/.exec(text);
  if (tz) {
    if (tz[1] !== "UTC" && tz[1] !== "Etc/UTC") {
      throw new Error(`Cron "${expression}": the in-process runner only schedules in UTC`);
    }
    text = text.slice(tz[0].length);
  }
  text = MACROS[text] ?? text;
  const fields = text.split(/\s+/);
  if (fields.length !== 5) throw new Error(`Cron "${expression}" must have five fields (minute hour day month weekday)`);
  const sets = fields.map((field, i) => parseField(field, FIELDS[i]!, expression));
  const weekdays = new Set([...sets[4]!].map((d) => d % 7));
  return {
    minutes: sets[0]!,
    hours: sets[1]!,
    days: sets[2]!,
    months: sets[3]!,
    weekdays,
    dayOr: fields[2] !== "*" && fields[4] !== "*",
  };
}

/** The first minute strictly after `after` that the schedule fires at. */
export function nextCronTime(schedule: CronSchedule | string, after: Date): Date {
  const cron = typeof schedule === "string" ? parseCron(schedule) : schedule;
  const t = new Date(after.getTime());
  t.setUTCSeconds(0, 0);
  t.setUTCMinutes(t.getUTCMinutes() + 1);
  // Five years of days is more than any satisfiable expression needs (Feb 29 on a given weekday).
  for (let guard = 0; guard < 5 * 366 * 24 * 60; guard++) {
    if (!cron.months.has(t.getUTCMonth() + 1)) {
      t.setUTCMonth(t.getUTCMonth() + 1, 1);
      t.setUTCHours(0, 0);
      continue;
    }
    if (!dayMatches(cron, t)) {
      t.setUTCDate(t.getUTCDate() + 1);
      t.setUTCHours(0, 0);
      continue;
    }
    if (!cron.hours.has(t.getUTCHours())) {
      t.setUTCHours(t.getUTCHours() + 1, 0);
      continue;
    }
    if (!cron.minutes.has(t.getUTCMinutes())) {
      t.setUTCMinutes(t.getUTCMinutes() + 1);
      continue;
    }
    return t;
  }
  throw new Error("Cron expression never fires");
}

function dayMatches(cron: CronSchedule, t: Date): boolean {
  const dom = cron.days.has(t.getUTCDate());
  const dow = cron.weekdays.has(t.getUTCDay());
  return cron.dayOr ? dom || dow : dom && dow;
}

function parseField(field: string, range: (typeof FIELDS)[number], expression: string): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(",")) {
    const match = /^(\*|\d+(?:-\d+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) throw new Error(`Cron "${expression}": cannot read ${range.name} "${part}"`);
    const [, base, stepText] = match;
    const step = stepText ? Number(stepText) : 1;
    const [from, end] = base === "*" ? [range.min, range.max] : (base!.split("-").map(Number) as [number, number?]);
    // "5/15" means from 5 to the end of the range, every 15.
    const to = end ?? (stepText ? range.max : from);
    if (step < 1 || from < range.min || to > range.max || from > to) {
      throw new Error(`Cron "${expression}": ${range.name} "${part}" is out of range ${range.min}-${range.max}`);
    }
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}
