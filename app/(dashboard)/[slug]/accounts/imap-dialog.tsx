"use client";

import { CheckCircle2, Server } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { awaitSyncResult } from "@/components/accounts/sync-toasts";
import { useRefreshAccounts } from "@/components/accounts/use-accounts-overview";
import { actionErrorMessage } from "@/components/ui/action-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Input, Label, Select } from "@/components/ui/input";
import type { ConnectionFailure } from "@/lib/accounts/explain-connection-error";
import type { ImapPreset } from "@/lib/accounts/imap-presets";
import type { ConnectionTestResult } from "@/lib/accounts/test-imap-connection";
import { linkImapAccountAction, testImapConnectionAction } from "./actions";

type Fields = { host: string; port: string; security: "tls" | "starttls"; user: string; password: string; emailAddress: string };
type Initial = { host: string; port: number; security: "tls" | "starttls"; user: string; emailAddress: string };

/** Any IMAP server: presets fill the server settings; "Test connection" logs in before anything is saved. */
export function ImapDialog({
  slug,
  presets,
  initial,
  triggerLabel = "Add IMAP account",
  triggerVariant = "secondary",
}: {
  slug: string;
  presets: ImapPreset[];
  initial?: Initial;
  triggerLabel?: string;
  triggerVariant?: "primary" | "secondary";
}) {
  const refresh = useRefreshAccounts(slug);
  const blank = (): Fields => ({
    host: initial?.host ?? "",
    port: String(initial?.port ?? 993),
    security: initial?.security ?? "tls",
    user: initial?.user ?? "",
    password: "",
    emailAddress: initial?.emailAddress ?? "",
  });
  const [open, setOpen] = useState(false);
  const [presetId, setPresetId] = useState(initial ? "generic" : "gmail");
  const [fields, setFields] = useState<Fields>(() => (initial ? blank() : fromPreset(presets[0]!, blank())));
  const [result, setResult] = useState<ConnectionTestResult | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const test = useAction(testImapConnectionAction);
  const link = useAction(linkImapAccountAction);
  const busy = test.isPending || link.isPending;
  const preset = presets.find((p) => p.id === presetId);
  const failure = result && !result.ok ? (result as ConnectionFailure) : null;
  const fieldError = (name: ConnectionFailure["field"]) => (failure?.field === name ? failure.message : null);

  const set = (patch: Partial<Fields>) => {
    setFields((f) => ({ ...f, ...patch }));
    setResult(null);
  };
  const settings = () => ({ ...fields, port: Number(fields.port) });

  async function run(kind: "test" | "link") {
    setFormError(null);
    setResult(null);
    const outcome = kind === "test" ? await test.executeAsync({ slug, settings: settings() }) : await link.executeAsync({ slug, settings: settings() });
    const message = actionErrorMessage(outcome);
    if (message || !outcome?.data) return setFormError(message ?? "Something went wrong. Try again.");
    setResult(outcome.data);
    if (kind === "link" && outcome.data.ok) {
      toast.success(`${fields.emailAddress || fields.user} is linked. The first sync has started.`);
      // A new mailbox: its first sync is announced when it ends (a reconnect keeps its mail: nothing to count).
      const linked = outcome.data as { accountId?: string; created?: boolean };
      if (linked.created && linked.accountId) awaitSyncResult(linked.accountId, fields.emailAddress || fields.user, 0);
      setOpen(false);
      void refresh();
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setFields(initial ? blank() : fromPreset(presets.find((p) => p.id === presetId) ?? presets[0]!, blank()));
          setResult(null);
          setFormError(null);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button variant={triggerVariant} size={initial ? "sm" : "md"}>
          <Server className="size-3.5" /> {triggerLabel}
        </Button>
      </DialogTrigger>
      <DialogContent title={initial ? `Reconnect ${initial.emailAddress}` : "Add an IMAP mailbox"} description="Threadline logs in to check the settings before saving. The password is stored encrypted.">
        <form
          className="flex flex-col gap-3"
          onSubmit={(event) => {
            event.preventDefault();
            void run("link");
          }}
        >
          {initial ? null : (
            <div>
              <Label htmlFor="imap-preset">Provider</Label>
              <Select
                id="imap-preset"
                value={presetId}
                onChange={(event) => {
                  const next = presets.find((p) => p.id === event.target.value)!;
                  setPresetId(next.id);
                  set(fromPreset(next, fields));
                }}
              >
                {presets.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.label}
                  </option>
                ))}
              </Select>
            </div>
          )}
          <div className="grid grid-cols-[1fr_84px_112px] gap-2">
            <div>
              <Label htmlFor="imap-host">Server</Label>
              <Input id="imap-host" value={fields.host} onChange={(e) => set({ host: e.target.value })} placeholder="imap.example.com" required autoComplete="off" />
            </div>
            <div>
              <Label htmlFor="imap-port">Port</Label>
              <Input id="imap-port" inputMode="numeric" value={fields.port} onChange={(e) => set({ port: e.target.value })} required />
            </div>
            <div>
              <Label htmlFor="imap-security">Security</Label>
              <Select id="imap-security" value={fields.security} onChange={(e) => set({ security: e.target.value as Fields["security"] })}>
                <option value="tls">TLS</option>
                <option value="starttls">STARTTLS</option>
              </Select>
            </div>
          </div>
          <FieldError>{fieldError("host") ?? fieldError("port") ?? fieldError("security")}</FieldError>
          <div>
            <Label htmlFor="imap-user">User name</Label>
            <Input id="imap-user" value={fields.user} onChange={(e) => set({ user: e.target.value })} placeholder="you@example.com" required autoComplete="username" />
          </div>
          <div>
            <Label htmlFor="imap-password">Password or app password</Label>
            <Input id="imap-password" type="password" value={fields.password} onChange={(e) => set({ password: e.target.value })} required autoComplete="current-password" />
            {preset && !failure ? <p className="mt-1.5 text-[12px] text-ink-faint">{preset.passwordHint}</p> : null}
            <FieldError>{fieldError("password") ?? fieldError("user")}</FieldError>
          </div>
          {fields.user && !fields.user.includes("@") ? (
            <div>
              <Label htmlFor="imap-email">Email address</Label>
              <Input id="imap-email" type="email" value={fields.emailAddress} onChange={(e) => set({ emailAddress: e.target.value })} placeholder="you@example.com" required />
            </div>
          ) : null}
          <div role="status" data-testid="imap-result">
            {failure && !failure.field ? <p className="text-[12px] text-danger">{failure.message}</p> : null}
            {formError ? <p className="text-[12px] text-danger">{formError}</p> : null}
            {result?.ok ? (
              <p className="flex items-start gap-1.5 text-[12px] text-ok">
                <CheckCircle2 className="mt-px size-3.5 shrink-0" />
                <span>
                  Connected. {result.folders.length} folders: {result.folders.slice(0, 6).map((f) => f.path).join(", ")}
                  {result.folders.length > 6 ? "…" : ""}
                </span>
              </p>
            ) : null}
          </div>
          <div className="mt-1 flex justify-end gap-2">
            <Button type="button" disabled={busy} onClick={() => void run("test")}>
              {test.isPending ? "Testing…" : "Test connection"}
            </Button>
            <Button type="submit" variant="primary" disabled={busy}>
              {link.isPending ? "Linking…" : initial ? "Save and reconnect" : "Link mailbox"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function fromPreset(preset: ImapPreset, fields: Fields): Fields {
  return { ...fields, host: preset.host, port: String(preset.port), security: preset.security };
}
