"use client";

import { Check, Copy, UserPlus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { actionErrorMessage } from "@/components/ui/action-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FieldError, Input, Label, Select } from "@/components/ui/input";
import { createInvitationAction } from "./actions";

export function InviteDialog({ slug, canInviteAdmins }: { slug: string; canInviteAdmins: boolean }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [role, setRole] = useState<"member" | "admin">("member");
  const [email, setEmail] = useState("");
  const [link, setLink] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { executeAsync, isPending } = useAction(createInvitationAction);

  function reset(next: boolean) {
    setOpen(next);
    if (!next) {
      setLink(null);
      setEmail("");
      setRole("member");
      setError(null);
      setCopied(false);
    }
  }

  return (
    <Dialog open={open} onOpenChange={reset}>
      <DialogTrigger asChild>
        <Button variant="primary">
          <UserPlus className="size-3.5" /> Invite
        </Button>
      </DialogTrigger>
      <DialogContent title="Invite to organisation" description="Create a link and send it however you like. It works once and expires in 7 days.">
        {link ? (
          <div className="flex flex-col gap-3">
            <Label htmlFor="invite-link">Invitation link</Label>
            <div className="flex gap-2">
              <Input id="invite-link" readOnly value={link} data-testid="invite-link" onFocus={(e) => e.currentTarget.select()} className="font-mono text-[12px]" />
              <Button
                onClick={async () => {
                  await navigator.clipboard?.writeText(link).catch(() => {});
                  setCopied(true);
                }}
                aria-label="Copy link"
              >
                {copied ? <Check className="size-3.5 text-ok" /> : <Copy className="size-3.5" />}
              </Button>
            </div>
            <p className="text-[12px] text-ink-faint">Anyone who opens it can join{email ? ` when signed in as ${email}` : ""}. You can revoke it below.</p>
            <div className="mt-2 flex justify-end">
              <Button onClick={() => reset(false)}>Done</Button>
            </div>
          </div>
        ) : (
          <form
            className="flex flex-col gap-4"
            onSubmit={async (event) => {
              event.preventDefault();
              setError(null);
              const result = await executeAsync({ slug, role, email });
              const message = actionErrorMessage(result);
              if (message || !result?.data) return setError(message);
              setLink(`${window.location.origin}${result.data.path}`);
              router.refresh();
            }}
          >
            <div>
              <Label htmlFor="invite-role">Role</Label>
              <Select id="invite-role" value={role} onChange={(e) => setRole(e.target.value as "member" | "admin")}>
                <option value="member">Member</option>
                {canInviteAdmins ? <option value="admin">Admin</option> : null}
              </Select>
            </div>
            <div>
              <Label htmlFor="invite-email">Restrict to email (optional)</Label>
              <Input id="invite-email" type="email" placeholder="anyone with the link" value={email} onChange={(e) => setEmail(e.target.value)} />
              <FieldError>{error}</FieldError>
            </div>
            <div className="flex justify-end gap-2">
              <Button type="button" variant="ghost" onClick={() => reset(false)}>
                Cancel
              </Button>
              <Button type="submit" variant="primary" disabled={isPending}>
                {isPending ? "Creating…" : "Create link"}
              </Button>
            </div>
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
