import { isOAuthMailProvider, MAIL_PROVIDERS } from "@/lib/oauth/mail-providers";

/** The accounts page's banner after a link flow came back with `linkError` (see complete-oauth-link). */
export function linkErrorMessage(params: { linkError?: string; provider?: string; expected?: string; got?: string }): string | null {
  if (!params.linkError) return null;
  const who = isOAuthMailProvider(params.provider) ? MAIL_PROVIDERS[params.provider].label : "The provider";
  switch (params.linkError) {
    case "missing_scope":
      return `${who} did not grant access to your mail. Link again and leave the mail permission ticked on the consent screen.`;
    case "no_refresh_token":
      return `${who} did not grant offline access, so Threadline could not keep the mailbox in sync. Link again; if it keeps happening, remove Threadline's access in your ${who} account settings first.`;
    case "no_email":
      return `${who} did not say which mailbox this is. Link again, or use the IMAP form.`;
    case "wrong_mailbox":
      return `You signed in to ${who} as ${params.got ?? "another mailbox"}, but this account is ${params.expected ?? "a different one"}. Reconnect with ${params.expected ?? "that mailbox"}, or link ${params.got ?? "the other one"} as a new mailbox.`;
    case "not_allowed":
      return "Only the member who linked this mailbox, or an admin, can reconnect it.";
    default:
      return "Linking did not complete. Try again.";
  }
}
