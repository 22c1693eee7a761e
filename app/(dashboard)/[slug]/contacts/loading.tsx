import { TableSkeleton } from "@/components/contacts/skeletons";

export default function Loading() {
  return <TableSkeleton title="Contacts" />;
}
