import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/brand";
import { NewOrganizationForm } from "./new-organization-form";
import { db } from "@/db";
import { getSessionUser } from "@/lib/auth/session";
import { listUserOrganizations } from "@/lib/orgs/list-user-organizations";

export const metadata: Metadata = { title: "Create organisation" };

export default async function NewOrganizationPage() {
  const user = await getSessionUser();
  if (!user) redirect("/login?callbackUrl=/new");
  const [first] = await listUserOrganizations(db, user.id);
  return (
    <AuthCard title="Create an organisation" subtitle="A shared space for your team's mailboxes and contacts. You will be its owner.">
      <NewOrganizationForm />
      {first ? (
        <p className="mt-4 text-center text-[12px] text-ink-faint">
          or{" "}
          <Link href={`/${first.slug}`} className="text-ink-muted underline-offset-2 hover:underline">
            go back to {first.name}
          </Link>
        </p>
      ) : null}
    </AuthCard>
  );
}
