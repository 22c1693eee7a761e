"use client";

import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { toast } from "sonner";
import { actionErrorMessage } from "@/components/ui/action-error";
import { Button } from "@/components/ui/button";
import { startOAuthLinkAction } from "./actions";

const LABELS = { gmail: "Link Gmail", outlook: "Link Outlook" } as const;
const SETUP = {
  gmail: "Set AUTH_GOOGLE_ID and AUTH_GOOGLE_SECRET on the server to link Gmail.",
  outlook: "Set AUTH_MICROSOFT_ENTRA_ID_ID and AUTH_MICROSOFT_ENTRA_ID_SECRET on the server to link Outlook.",
} as const;

/** Sends the browser to Google's or Microsoft's consent; it comes back to this page. */
export function OAuthLinkButton({
  slug,
  provider,
  enabled,
  accountId,
  label,
  variant = "secondary",
  size = "md",
}: {
  slug: string;
  provider: "gmail" | "outlook";
  enabled: boolean;
  accountId?: string;
  label?: string;
  variant?: "primary" | "secondary";
  size?: "sm" | "md";
}) {
  const { executeAsync, isPending } = useAction(startOAuthLinkAction);
  const [leaving, setLeaving] = useState(false);
  return (
    <Button
      variant={variant}
      size={size}
      disabled={!enabled || isPending || leaving}
      title={enabled ? undefined : SETUP[provider]}
      onClick={async () => {
        const result = await executeAsync({ slug, provider, accountId });
        const message = actionErrorMessage(result);
        if (message || !result?.data?.url) return toast.error(message ?? "Could not start linking. Try again.");
        setLeaving(true);
        window.location.assign(result.data.url);
      }}
    >
      <ProviderMark provider={provider} />
      {leaving ? "Opening…" : (label ?? LABELS[provider])}
    </Button>
  );
}

function ProviderMark({ provider }: { provider: "gmail" | "outlook" }) {
  return <span aria-hidden className={`inline-block size-2 rounded-full ${provider === "gmail" ? "bg-danger" : "bg-info"}`} />;
}
