import { z } from "zod";

// Shared by the accounts page's forms and its server actions.

export const imapSettingsSchema = z
  .object({
    host: z
      .string()
      .trim()
      .toLowerCase()
      .min(1, "Enter the IMAP server, e.g. imap.example.com")
      .max(253, "That server name is too long")
      .regex(/^[^\s/@]+$/, "Enter only the server name, e.g. imap.example.com"),
    port: z.coerce.number().int("The port is a whole number").min(1, "Ports go from 1 to 65535").max(65535, "Ports go from 1 to 65535"),
    security: z.enum(["tls", "starttls"], { error: "Choose TLS or STARTTLS" }),
    user: z.string().trim().min(1, "Enter the user name (usually your email address)").max(320),
    password: z.string().min(1, "Enter the password or app password").max(1000),
    // Defaults to the user name when that is an address.
    emailAddress: z.string().trim().toLowerCase().max(320).optional().or(z.literal("")),
    displayName: z.string().trim().max(200).optional(),
  })
  .transform(({ emailAddress, ...rest }) => ({ ...rest, emailAddress: emailAddress || (rest.user.includes("@") ? rest.user.toLowerCase() : "") }))
  .refine((v) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(v.emailAddress), {
    message: "Enter the mailbox's email address (the user name is not one)",
    path: ["emailAddress"],
  });
export type ImapSettings = z.output<typeof imapSettingsSchema>;

export const startOAuthLinkSchema = z.object({
  provider: z.enum(["gmail", "outlook"]),
  // Reconnecting an existing account rather than linking a new one.
  accountId: z.uuid().optional(),
});

export const accountRefSchema = z.object({ accountId: z.uuid("Unknown account") });

export const unlinkAccountSchema = z.object({
  accountId: z.uuid("Unknown account"),
  // Also delete the messages, folders and sync history synced from it.
  deleteData: z.boolean(),
});

export const pauseAccountSchema = z.object({ accountId: z.uuid("Unknown account"), paused: z.boolean() });

export const resyncFolderSchema = z.object({
  accountId: z.uuid("Unknown account"),
  // Without it, every folder of the mailbox.
  mailboxId: z.uuid("Unknown folder").optional(),
});
