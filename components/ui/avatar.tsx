import { cn } from "./cn";

// Colours from the name, so an avatar is recognisable without fetching any remote picture.
const HUES = [250, 200, 160, 30, 340, 280, 120, 15];

export function initials(name: string | null | undefined, fallback = "?"): string {
  const source = (name ?? "").trim();
  if (!source) return fallback;
  const words = source.split(/[\s@._-]+/).filter(Boolean);
  const letters = words.length > 1 ? words[0][0] + words[1][0] : source.slice(0, 2);
  return letters.toUpperCase();
}

export function Avatar({ name, size = 24, square, className }: { name: string | null | undefined; size?: number; square?: boolean; className?: string }) {
  const text = initials(name);
  let hash = 0;
  for (const ch of name ?? "") hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  const hue = HUES[hash % HUES.length];
  return (
    <span
      aria-hidden
      className={cn("inline-flex shrink-0 items-center justify-center font-semibold text-white select-none", square ? "rounded-md" : "rounded-full", className)}
      style={{ width: size, height: size, fontSize: Math.max(9, Math.round(size * 0.4)), background: `oklch(0.62 0.13 ${hue})` }}
    >
      {text}
    </span>
  );
}
