"use client";

import { Unlink } from "lucide-react";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { useRefreshAccounts } from "@/components/accounts/use-accounts-overview";
import { actionErrorMessage } from "@/components/ui/action-error";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import type { MailAccountSummary } from "@/lib/accounts/list-mail-accounts";
import { unlinkAccountAction } from "./actions";

/** Unlink always removes the credentials; deleting the synced mail is a second, explicit choice. */
export function UnlinkDialog({ slug, account }: { slug: string; account: MailAccountSummary }) {
  const refresh = useRefreshAccounts(slug);
  const [open, setOpen] = useState(false);
  const [deleteData, setDeleteData] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { executeAsync, isPending } = useAction(unlinkAccountAction);
  const messages = `${account.messages.toLocaleString("en")} message${account.messages === 1 ? "" : "s"}`;
  const folders = `${account.folders} folder${account.folders === 1 ? "" : "s"}`;

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setDeleteData(false);
          setError(null);
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="sm" variant="ghost" aria-label={`Unlink ${account.emailAddress}`}>
          <Unlink className="size-3.5" /> Unlink
        </Button>
      </DialogTrigger>
      <DialogContent title={`Unlink ${account.emailAddress}?`} description="Threadline stops syncing this mailbox and erases its stored password or tokens. The mailbox itself is not touched.">
        <fieldset className="flex flex-col gap-2 text-[13px]">
          <label className="flex cursor-pointer items-start gap-2 rounded-md border border-line p-2.5 has-[:checked]:border-accent">
            <input type="radio" name="unlink-data" className="mt-0.5" checked={!deleteData} onChange={() => setDeleteData(false)} />
            <span>
              <span className="font-medium text-ink">Keep the synced mail</span>
              <span className="block text-[12px] text-ink-muted">
                {messages} stay searchable and in contact timelines. You can link the mailbox again later.
              </span>
            </span>
          </label>
          <label className="flex cursor-pointer items-start gap-2 rounded-md border border-line p-2.5 has-[:checked]:border-danger">
            <input type="radio" name="unlink-data" className="mt-0.5" checked={deleteData} onChange={() => setDeleteData(true)} data-testid="unlink-delete-data" />
            <span>
              <span className="font-medium text-ink">Also delete the synced mail</span>
              <span className="block text-[12px] text-ink-muted">
                Removes {messages}, {folders} and the sync history from Threadline. Contacts stay; conversations left empty
                disappear. This cannot be undone.
              </span>
            </span>
          </label>
        </fieldset>
        {error ? <p className="mt-3 text-[12px] text-danger">{error}</p> : null}
        <div className="mt-4 flex justify-end gap-2">
          <Button variant="ghost" onClick={() => setOpen(false)}>
            Cancel
          </Button>
          <Button
            variant="danger"
            disabled={isPending}
            onClick={async () => {
              setError(null);
              const result = await executeAsync({ slug, accountId: account.id, deleteData });
              const message = actionErrorMessage(result);
              if (message) return setError(message);
              toast.success(deleteData ? `${account.emailAddress} and its mail were removed.` : `${account.emailAddress} is unlinked; its mail is kept.`);
              setOpen(false);
              void refresh();
            }}
          >
            {isPending ? "Unlinking…" : deleteData ? "Unlink and delete mail" : "Unlink"}
          </Button>
        </div>
      </DialogContent>
    </Dialog>
  );
}
