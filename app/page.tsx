import { redirect } from "next/navigation";
import { db } from "@/db";
import { getSessionUser } from "@/lib/auth/session";
import { listUserOrganizations } from "@/lib/orgs/list-user-organizations";

export default async function Landing() {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  const [first] = await listUserOrganizations(db, user.id);
  redirect(first ? `/${first.slug}` : "/new");
}
