"use client";

import { format, parseISO } from "date-fns";
import type { ReactNode } from "react";
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { UsageDay } from "@/lib/usage/get-usage-timeseries";
import { ERROR_KIND_COLORS, errorKindLabel, FALLBACK_KIND_COLORS, formatCount, formatDuration } from "./format";

/*
 * The three usage charts. Readable without hovering: both axes labelled with their unit, a legend
 * on every chart, a total in the title; the tooltip only adds exact values.
 */

const AXIS = { stroke: "var(--tl-line-strong)", tick: { fill: "var(--tl-ink-muted)", fontSize: 11 }, tickLine: false } as const;
const GRID = <CartesianGrid stroke="var(--tl-line)" strokeDasharray="3 3" vertical={false} />;
const TOOLTIP = {
  contentStyle: { background: "var(--tl-panel)", border: "1px solid var(--tl-line)", borderRadius: 8, fontSize: 12, color: "var(--tl-ink)" },
  labelStyle: { color: "var(--tl-ink-muted)", marginBottom: 4 },
  cursor: { fill: "var(--tl-hover)", opacity: 0.6 },
} as const;
const LEGEND = { iconType: "circle" as const, iconSize: 8, wrapperStyle: { fontSize: 12, color: "var(--tl-ink-muted)", paddingTop: 4 } };

export function MessagesPerDayChart({ days }: { days: UsageDay[] }) {
  const total = days.reduce((n, d) => n + d.messagesAdded, 0);
  return (
    <ChartCard title="Messages synced per day" summary={`${formatCount(total)} in ${days.length} days`} testId="chart-messages">
      <BarChart data={days} margin={{ top: 8, right: 8, bottom: 4, left: 8 }}>
        {GRID}
        <XAxis dataKey="day" {...AXIS} tickFormatter={dayTick} minTickGap={18} label={axisLabel("Day (UTC)", "bottom")} height={40} />
        <YAxis {...AXIS} {...niceAxis(days.map((d) => d.messagesAdded))} tickFormatter={compact} width={56} label={axisLabel("Messages", "left")} />
        <Tooltip {...TOOLTIP} labelFormatter={dayLabel} formatter={(value) => [formatCount(Number(value)), "Messages"]} />
        <Legend {...LEGEND} />
        <Bar dataKey="messagesAdded" name="Messages added" fill="var(--tl-accent)" radius={[2, 2, 0, 0]} maxBarSize={28} isAnimationActive={false} />
      </BarChart>
    </ChartCard>
  );
}

export function SyncDurationChart({ days }: { days: UsageDay[] }) {
  const worst = Math.max(0, ...days.map((d) => d.durationP95 ?? 0));
  return (
    <ChartCard title="Sync duration" summary={worst ? `slowest day p95 ${formatDuration(worst)}` : "no finished runs"} testId="chart-duration">
      <LineChart data={days} margin={{ top: 8, right: 8, bottom: 4, left: 8 }}>
        {GRID}
        <XAxis dataKey="day" {...AXIS} tickFormatter={dayTick} minTickGap={18} label={axisLabel("Day (UTC)", "bottom")} height={40} />
        <YAxis {...AXIS} {...niceAxis(days.map((d) => d.durationP95 ?? d.durationP50 ?? 0))} tickFormatter={(v: number) => `${compact(v)} s`} width={56} label={axisLabel("Seconds per run", "left")} />
        <Tooltip {...TOOLTIP} labelFormatter={dayLabel} formatter={(value, name) => [formatDuration(value == null ? null : Number(value)), name]} />
        <Legend {...LEGEND} />
        <Line dataKey="durationP50" name="p50 (median)" stroke="var(--tl-accent)" strokeWidth={2} dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
        <Line dataKey="durationP95" name="p95" stroke="var(--tl-warn)" strokeWidth={2} strokeDasharray="5 3" dot={{ r: 2 }} connectNulls={false} isAnimationActive={false} />
      </LineChart>
    </ChartCard>
  );
}

export function ErrorsByKindChart({ days }: { days: UsageDay[] }) {
  const kinds = [...new Set(days.flatMap((d) => Object.keys(d.errors)))].sort();
  const total = days.reduce((n, d) => n + Object.values(d.errors).reduce((a, b) => a + b, 0), 0);
  const data = days.map((d) => ({ day: d.day, ...Object.fromEntries(kinds.map((k) => [k, d.errors[k] ?? 0])) }));
  return (
    <ChartCard title="Errors by kind" summary={total ? `${formatCount(total)} runs with an error` : "no errors"} testId="chart-errors">
      <BarChart data={data} margin={{ top: 8, right: 8, bottom: 4, left: 8 }}>
        {GRID}
        <XAxis dataKey="day" {...AXIS} tickFormatter={dayTick} minTickGap={18} label={axisLabel("Day (UTC)", "bottom")} height={40} />
        <YAxis {...AXIS} {...niceAxis(days.map((d) => Object.values(d.errors).reduce((a, b) => a + b, 0)))} width={56} label={axisLabel("Runs", "left")} />
        <Tooltip {...TOOLTIP} labelFormatter={dayLabel} />
        {kinds.length ? (
          <Legend {...LEGEND} />
        ) : (
          <Legend
            {...LEGEND}
            content={() => (
              <p className="flex items-center justify-center gap-1.5 text-[12px] text-ink-muted">
                <span className="size-2 rounded-full bg-ok" aria-hidden /> No errors in this window
              </p>
            )}
          />
        )}
        {kinds.map((kind, i) => (
          <Bar key={kind} dataKey={kind} name={errorKindLabel(kind)} stackId="errors" fill={ERROR_KIND_COLORS[kind] ?? FALLBACK_KIND_COLORS[i % FALLBACK_KIND_COLORS.length]} maxBarSize={28} isAnimationActive={false} />
        ))}
      </BarChart>
    </ChartCard>
  );
}

function ChartCard({ title, summary, children, testId }: { title: string; summary: string; children: ReactNode; testId: string }) {
  return (
    <figure className="min-w-0 rounded-lg border border-line bg-panel px-3 pt-3 pb-2" data-testid={testId}>
      <figcaption className="mb-1 flex items-baseline justify-between gap-2 px-1">
        <span className="text-[13px] font-medium text-ink">{title}</span>
        <span className="truncate text-[12px] text-ink-faint tabular-nums">{summary}</span>
      </figcaption>
      <div className="h-[220px]">
        <ResponsiveContainer width="100%" height="100%">
          {children as React.ReactElement}
        </ResponsiveContainer>
      </div>
    </figure>
  );
}

function axisLabel(value: string, position: "bottom" | "left") {
  return position === "bottom"
    ? { value, position: "insideBottom" as const, offset: -2, fill: "var(--tl-ink-faint)", fontSize: 11 }
    : { value, angle: -90, position: "insideLeft" as const, offset: 4, style: { textAnchor: "middle" as const }, fill: "var(--tl-ink-faint)", fontSize: 11 };
}

/** Round ticks (1, 2 or 5 × 10ⁿ apart, about four steps) from zero to just above the largest value. */
function niceAxis(values: number[]) {
  const max = Math.max(0, ...values);
  if (max === 0) return { domain: [0, 1] as [number, number], ticks: [0, 1] };
  const rough = max / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough)!;
  const wholeStep = Math.max(step, values.every(Number.isInteger) ? 1 : step);
  const top = Math.ceil(max / wholeStep) * wholeStep;
  const ticks = Array.from({ length: Math.round(top / wholeStep) + 1 }, (_, i) => Math.round(i * wholeStep * 1000) / 1000);
  return { domain: [0, top] as [number, number], ticks };
}

function dayTick(day: string) {
  return format(parseISO(day), "d MMM");
}

function dayLabel(day: unknown) {
  return typeof day === "string" ? format(parseISO(day), "EEE d MMM yyyy") : String(day);
}

function compact(value: number) {
  return Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 1 }).format(value);
}
