"use client";

import { useRouter } from "next/navigation";
import { useAction } from "next-safe-action/hooks";
import { useState } from "react";
import { createOrganizationAction } from "./actions";
import { actionErrorMessage } from "@/components/ui/action-error";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";

export function NewOrganizationForm() {
  const router = useRouter();
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const { executeAsync, isPending } = useAction(createOrganizationAction);
  const shownSlug = slugEdited ? slug : slugFromName(name);

  return (
    <form
      className="flex flex-col gap-4"
      onSubmit={async (event) => {
        event.preventDefault();
        setError(null);
        const result = await executeAsync({ name, slug: shownSlug || undefined });
        const message = actionErrorMessage(result);
        if (message || !result?.data) return setError(message);
        router.push(`/${result.data.slug}`);
      }}
    >
      <div>
        <Label htmlFor="org-name">Name</Label>
        <Input id="org-name" name="name" required autoFocus placeholder="Acme Inc." value={name} onChange={(e) => setName(e.target.value)} />
      </div>
      <div>
        <Label htmlFor="org-slug">Address</Label>
        <div className="flex items-center rounded-md border border-line-strong bg-sunken shadow-sm shadow-black/[0.03] focus-within:border-accent focus-within:ring-2 focus-within:ring-accent/20">
          <span className="pl-2.5 text-[13px] text-ink-faint">threadline/</span>
          <Input
            id="org-slug"
            name="slug"
            className="border-0 bg-transparent pl-0.5 shadow-none focus:ring-0"
            placeholder="acme"
            value={shownSlug}
            onChange={(e) => {
              setSlugEdited(true);
              setSlug(e.target.value.toLowerCase());
            }}
          />
        </div>
        <FieldError>{error}</FieldError>
      </div>
      <Button type="submit" variant="primary" size="lg" disabled={isPending || !name.trim()}>
        {isPending ? "Creating…" : "Create organisation"}
      </Button>
    </form>
  );
}

function slugFromName(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
}
