"use client";

import { Ban, Check, Trash2 } from "lucide-react";
import { useState, useTransition } from "react";
import { toast } from "sonner";
import { formatCount } from "@/components/mail/format";
import { actionErrorMessage } from "@/components/ui/action-error";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { FieldError, Input } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import type { ActionError } from "@/lib/safe-action";

type Result<T> = { data?: T; serverError?: ActionError; validationErrors?: unknown } | undefined;
type Policy = "all" | "replied" | "none";
type Blocked = { id: string; pattern: string; createdAt: Date };

export type ContactSettingsActions = {
  setPolicy: (input: { slug: string; policy: Policy }) => Promise<Result<{ policy: Policy }>>;
  addBlocked: (input: { slug: string; pattern: string }) => Promise<Result<{ id: string; pattern: string }>>;
  removeBlocked: (input: { slug: string; id: string }) => Promise<Result<{ id: string; pattern: string }>>;
};

const POLICIES: { value: Policy; title: string; text: string }[] = [
  { value: "all", title: "Everyone", text: "Every address in synced mail becomes a contact (newsletters are marked as bulk and hidden by default)." },
  { value: "replied", title: "People we have written to", text: "An address becomes a contact once someone on the team has sent it mail; earlier messages are linked then." },
  { value: "none", title: "Nobody", text: "No new contacts are created. Mail still syncs and stays searchable." },
];

/** Contact policy and blocklist; read-only for members, editable by admins and owners. */
export function ContactSettings({ slug, canEdit, policy, blocked, actions }: { slug: string; canEdit: boolean; policy: Policy; blocked: Blocked[]; actions: ContactSettingsActions }) {
  const [current, setCurrent] = useState(policy);
  const [entries, setEntries] = useState(blocked);
  const [pattern, setPattern] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();

  const choose = (value: Policy) =>
    start(async () => {
      const previous = current;
      setCurrent(value);
      const message = actionErrorMessage(await actions.setPolicy({ slug, policy: value }));
      if (message) {
        setCurrent(previous);
        toast.error(message);
      } else toast.success("Contact policy saved. It applies to mail synced from now on.");
    });

  const add = () =>
    start(async () => {
      setError(null);
      const result = await actions.addBlocked({ slug, pattern });
      const message = actionErrorMessage(result);
      if (message || !result?.data) {
        setError(message ?? "Could not block that.");
        return;
      }
      const added = result.data;
      setEntries((list) => [...list, { ...added, createdAt: new Date() }].sort((a, b) => a.pattern.localeCompare(b.pattern)));
      setPattern("");
      toast.success(`${added.pattern} is blocked.`);
    });

  const remove = (entry: Blocked) =>
    start(async () => {
      const message = actionErrorMessage(await actions.removeBlocked({ slug, id: entry.id }));
      if (message) toast.error(message);
      else {
        setEntries((list) => list.filter((e) => e.id !== entry.id));
        toast.success(`${entry.pattern} is no longer blocked.`);
      }
    });

  return (
    <div className="space-y-6">
      {!canEdit ? (
        <p className="rounded-md border border-line bg-sunken px-3 py-2 text-[13px] text-ink-muted" data-testid="read-only-note">
          Only admins and owners can change these settings.
        </p>
      ) : null}
      <section>
        <h2 className="text-[14px] font-semibold text-ink">Who becomes a contact</h2>
        <p className="mt-0.5 mb-3 text-[13px] text-ink-muted">Existing contacts stay as they are; the policy decides for mail synced from now on.</p>
        <div role="radiogroup" aria-label="Contact policy" className="grid grid-cols-1 gap-2 md:grid-cols-3">
          {POLICIES.map((option) => {
            const selected = current === option.value;
            return (
              <button
                key={option.value}
                type="button"
                role="radio"
                aria-checked={selected}
                disabled={!canEdit || pending}
                onClick={() => !selected && choose(option.value)}
                data-testid={`policy-${option.value}`}
                className={cn(
                  "flex flex-col items-start rounded-lg border bg-panel p-3 text-left transition-colors disabled:cursor-default",
                  selected ? "border-accent ring-2 ring-accent/15" : "border-line hover:border-line-strong",
                  !canEdit && !selected && "opacity-60",
                )}
              >
                <span className="flex w-full items-center gap-2 text-[13px] font-medium text-ink">
                  <span className={cn("flex size-4 items-center justify-center rounded-full border", selected ? "border-accent bg-accent text-accent-ink" : "border-line-strong")}>
                    {selected ? <Check className="size-2.5" strokeWidth={3} /> : null}
                  </span>
                  {option.title}
                </span>
                <span className="mt-1 pl-6 text-[12px] leading-[17px] text-ink-muted">{option.text}</span>
              </button>
            );
          })}
        </div>
      </section>

      <section>
        <h2 className="text-[14px] font-semibold text-ink">Blocklist</h2>
        <p className="mt-0.5 mb-3 text-[13px] text-ink-muted">
          Blocked addresses and domains (with their subdomains) never become contacts and are hidden from contact lists. Their mail is still synced.
        </p>
        {canEdit ? (
          <form
            className="mb-3 flex max-w-[520px] items-start gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              if (pattern.trim()) add();
            }}
          >
            <div className="flex-1">
              <Input
                value={pattern}
                onChange={(event) => setPattern(event.target.value)}
                placeholder="name@example.com or example.com"
                aria-label="Address or domain to block"
                aria-invalid={Boolean(error)}
                data-testid="block-pattern"
              />
              <FieldError>{error}</FieldError>
            </div>
            <Button type="submit" disabled={pending || !pattern.trim()} data-testid="block-submit">
              <Ban className="size-3.5" /> Block
            </Button>
          </form>
        ) : null}
        <div className="overflow-hidden rounded-lg border border-line bg-panel">
          {entries.length ? (
            <ul className="divide-y divide-line" data-testid="blocklist">
              {entries.map((entry) => (
                <li key={entry.id} className="flex items-center gap-3 px-4 py-2" data-testid="blocked-entry">
                  <Ban className="size-3.5 shrink-0 text-ink-faint" />
                  <span className="min-w-0 flex-1 truncate font-mono text-[12.5px] text-ink">{entry.pattern}</span>
                  <span className="text-[12px] text-ink-faint">{entry.pattern.includes("@") ? "address" : "domain"}</span>
                  <RelativeTime date={entry.createdAt} className="w-20 text-right text-[12px] text-ink-faint" />
                  {canEdit ? (
                    <button
                      type="button"
                      onClick={() => remove(entry)}
                      disabled={pending}
                      className="rounded p-1 text-ink-faint hover:bg-hover hover:text-danger disabled:opacity-50"
                      aria-label={`Unblock ${entry.pattern}`}
                    >
                      <Trash2 className="size-3.5" />
                    </button>
                  ) : null}
                </li>
              ))}
            </ul>
          ) : (
            <p className="px-4 py-6 text-center text-[13px] text-ink-muted">Nothing is blocked. {canEdit ? "Add an address or a domain above." : ""}</p>
          )}
        </div>
        {entries.length ? <p className="mt-2 text-[12px] text-ink-faint tabular-nums">{formatCount(entries.length)} blocked</p> : null}
      </section>
    </div>
  );
}
