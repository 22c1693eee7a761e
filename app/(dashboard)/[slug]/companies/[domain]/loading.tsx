import { ProfileSkeleton } from "@/components/contacts/skeletons";

export default function Loading() {
  return <ProfileSkeleton />;
}
