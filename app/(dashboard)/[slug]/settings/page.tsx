import { redirect } from "next/navigation";

export default async function SettingsIndex(props: PageProps<"/[slug]/settings">) {
  const { slug } = await props.params;
  redirect(`/${slug}/settings/members`);
}
