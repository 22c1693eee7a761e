export type ImapPreset = {
  id: string;
  label: string;
  host: string;
  port: number;
  security: "tls" | "starttls";
  // Shown under the password field.
  passwordHint: string;
};

/** Well-known IMAP servers that accept app passwords; "generic" leaves the server to the user. */
export const IMAP_PRESETS: ImapPreset[] = [
  {
    id: "gmail",
    label: "Gmail (app password)",
    host: "imap.gmail.com",
    port: 993,
    security: "tls",
    passwordHint: "Create an app password at myaccount.google.com/apppasswords (needs 2-Step Verification).",
  },
  {
    id: "icloud",
    label: "iCloud Mail",
    host: "imap.mail.me.com",
    port: 993,
    security: "tls",
    passwordHint: "Use an app-specific password from account.apple.com (Sign-In and Security).",
  },
  {
    id: "fastmail",
    label: "Fastmail",
    host: "imap.fastmail.com",
    port: 993,
    security: "tls",
    passwordHint: "Create an app password in Fastmail under Settings → Privacy & Security.",
  },
  {
    id: "yahoo",
    label: "Yahoo Mail",
    host: "imap.mail.yahoo.com",
    port: 993,
    security: "tls",
    passwordHint: "Generate an app password in Yahoo Account Security.",
  },
  {
    id: "outlook",
    label: "Outlook (app password)",
    host: "outlook.office365.com",
    port: 993,
    security: "tls",
    passwordHint: "Only where your organisation still allows app passwords; otherwise use Link Outlook.",
  },
  { id: "generic", label: "Other IMAP server", host: "", port: 993, security: "tls", passwordHint: "Your mailbox password, or an app password if the provider requires one." },
];
