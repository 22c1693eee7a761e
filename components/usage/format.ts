// Display helpers for the usage views: one place for units, labels and status colours.

const NUMBER = new Intl.NumberFormat("en-US");

export function formatCount(n: number): string {
  return NUMBER.format(n);
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB", "TB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

export function formatPercent(rate: number | null): string {
  if (rate === null) return "—";
  if (rate === 0) return "0%";
  if (rate < 0.001) return "<0.1%";
  return `${(rate * 100).toFixed(rate < 0.1 ? 1 : 0)}%`;
}

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return "—";
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${seconds.toFixed(seconds < 10 ? 1 : 0)} s`;
  const minutes = Math.floor(seconds / 60);
  return `${minutes} min ${Math.round(seconds % 60)} s`;
}

export const PROVIDER_LABELS: Record<string, string> = { gmail: "Gmail", outlook: "Outlook", imap: "IMAP" };

export const STATUS_LABELS: Record<string, string> = {
  connecting: "Connecting",
  syncing: "Syncing",
  active: "Synced",
  reconnect_needed: "Reconnect needed",
  error: "Failing",
  paused: "Paused",
};

export type Tone = "ok" | "info" | "warn" | "danger" | "neutral";

export const STATUS_TONES: Record<string, Tone> = {
  connecting: "info",
  syncing: "info",
  active: "ok",
  reconnect_needed: "warn",
  error: "danger",
  paused: "neutral",
};

export const OUTCOME_TONES: Record<string, Tone> = { success: "ok", partial: "warn", failed: "danger", running: "info" };
export const OUTCOME_LABELS: Record<string, string> = { success: "Succeeded", partial: "Partial", failed: "Failed", running: "Running" };

/** Error kinds recorded on sync runs, in plain words (never the raw server answer as the headline). */
export const ERROR_KIND_LABELS: Record<string, string> = {
  auth: "Sign-in refused",
  throttled: "Throttled by the server",
  network: "Network problem",
  timeout: "Timed out",
  protocol: "Unexpected server answer",
  interrupted: "Interrupted (process stopped)",
  transient: "Temporary failure",
  permanent: "Permanent failure",
};

export function errorKindLabel(kind: string): string {
  return ERROR_KIND_LABELS[kind] ?? kind.replaceAll("_", " ");
}

// Categorical colours for error kinds in charts (status colours where the meaning matches).
export const ERROR_KIND_COLORS: Record<string, string> = {
  auth: "var(--tl-danger)",
  throttled: "var(--tl-warn)",
  network: "var(--tl-info)",
  timeout: "#a16ae8",
  protocol: "#17a398",
  interrupted: "var(--tl-ink-faint)",
};
export const FALLBACK_KIND_COLORS = ["#e0679a", "#7f8c9a", "#c9a227"];
