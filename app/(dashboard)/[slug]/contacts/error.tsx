"use client";

import { ScreenError } from "@/components/mail/screen-error";

export default function Error({ reset }: { error: Error; reset: () => void }) {
  return <ScreenError what="contacts" reset={reset} />;
}
