"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { actionErrorMessage } from "@/components/ui/action-error";
import { Button } from "@/components/ui/button";
import { FieldError } from "@/components/ui/input";
import { acceptInvitationAction } from "./actions";

export function AcceptInvitationButton({ token, orgName }: { token: string; orgName: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const { executeAsync, isPending } = useAction(acceptInvitationAction);
  return (
    <div>
      <Button
        variant="primary"
        size="lg"
        className="w-full"
        disabled={isPending}
        onClick={async () => {
          setError(null);
          const result = await executeAsync({ token });
          const message = actionErrorMessage(result);
          if (message || !result?.data) return setError(message);
          router.push(`/${result.data.slug}`);
        }}
      >
        {isPending ? "Joining…" : `Join ${orgName}`}
      </Button>
      <FieldError>{error}</FieldError>
    </div>
  );
}
