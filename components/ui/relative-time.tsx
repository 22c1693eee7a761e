"use client";

import { differenceInCalendarDays, differenceInHours, differenceInMinutes, format, isSameYear } from "date-fns";
import { cn } from "./cn";

/**
 * "just now", "5 min ago", "2 h ago", "Tue", "12 Mar", "12 Mar 2025" (or "in 3 days" ahead),
 * with the exact time on hover. Server and browser clocks and time zones differ, so the text
 * is allowed to change on hydration. Never wraps: "12 Mar 2025" split over two lines in a narrow
 * column reads as two values.
 */
export function RelativeTime({ date, className }: { date: string | Date; className?: string }) {
  const value = new Date(date);
  return (
    <time dateTime={value.toISOString()} title={format(value, "EEE d MMM yyyy, HH:mm")} className={cn("whitespace-nowrap", className)} suppressHydrationWarning>
      {relativeLabel(value, new Date())}
    </time>
  );
}

export function relativeLabel(value: Date, now: Date): string {
  const minutes = differenceInMinutes(now, value);
  if (minutes < 0) {
    const ahead = -minutes;
    if (ahead < 60) return `in ${Math.max(1, ahead)} min`;
    if (ahead < 24 * 60) return `in ${Math.round(ahead / 60)} h`;
    const days = differenceInCalendarDays(value, now);
    return `in ${days} day${days === 1 ? "" : "s"}`;
  }
  if (minutes < 1) return "just now";
  if (minutes < 60) return `${minutes} min ago`;
  const hours = differenceInHours(now, value);
  if (hours < 24) return `${hours} h ago`;
  if (differenceInCalendarDays(now, value) < 7) return format(value, "EEE");
  return isSameYear(now, value) ? format(value, "d MMM") : format(value, "d MMM yyyy");
}
