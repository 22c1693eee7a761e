import { eq } from "drizzle-orm";
import type { Database } from "@/db/connect";
import { organizations } from "@/db/schema";
import { DuplicateAccountError, addImapAccount } from "@/lib/imap/add-imap-account";
import { ForbiddenHostError, UnresolvableHostError } from "@/lib/imap/check-imap-host";
import type { ImapSecurity } from "@/lib/imap/connect-imap";
import { ImapError } from "@/lib/imap/imap-error";
import { type CliArgs, CliError, requireFlag } from "./args";

// account:add --org <slug> --imap imap[s]://user@host[:port] [--starttls] --password-env VAR
//             [--email address] [--name "Display Name"] [--no-verify]
export async function accountAdd(args: CliArgs, db: Database) {
  const slug = requireFlag(args, "org");
  const target = parseImapUrl(requireFlag(args, "imap"), args.flags.starttls === true);
  const passwordVar = requireFlag(args, "password-env");
  const password = process.env[passwordVar];
  if (!password) throw new CliError(`The environment variable ${passwordVar} is empty or not set (it must hold the IMAP password)`);
  const email = typeof args.flags.email === "string" ? args.flags.email : target.user.includes("@") ? target.user : null;
  if (!email) throw new CliError(`--email <address> is required when the IMAP user ("${target.user}") is not an address`);
  const [org] = await db.select({ id: organizations.id }).from(organizations).where(eq(organizations.slug, slug));
  if (!org) throw new CliError(`No organisation with slug "${slug}"`);
  try {
    const account = await addImapAccount(db, {
      orgId: org.id,
      ...target,
      password,
      emailAddress: email,
      displayName: typeof args.flags.name === "string" ? args.flags.name : null,
      verify: args.flags["no-verify"] !== true,
    });
    return {
      id: account.id,
      orgId: account.orgId,
      provider: account.provider,
      emailAddress: account.emailAddress,
      imap: { host: account.imapHost, port: account.imapPort, security: account.imapSecurity, user: account.imapUser },
      status: account.status,
    };
  } catch (error) {
    if (error instanceof ForbiddenHostError || error instanceof UnresolvableHostError || error instanceof DuplicateAccountError) throw new CliError(error.message);
    if (error instanceof ImapError) throw new CliError(`Could not log in (${error.kind}): ${error.message}`, error.kind === "auth" ? 3 : 4);
    throw error;
  }
}

/** imaps://user@host:993 (implicit TLS) or imap://user@host:143 (--starttls, else plain). */
export function parseImapUrl(value: string, starttls: boolean): { host: string; port: number; security: ImapSecurity; user: string } {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError(`--imap must look like imaps://user@host:993 (got "${value}")`);
  }
  if (url.protocol !== "imap:" && url.protocol !== "imaps:") throw new CliError(`--imap must start with imap:// or imaps:// (got "${url.protocol}")`);
  if (url.password) throw new CliError("Do not put the password in --imap; use --password-env VAR");
  const user = decodeURIComponent(url.username);
  if (!user) throw new CliError("--imap needs a user: imaps://user%40example.com@host:993");
  if (!url.hostname) throw new CliError("--imap needs a host");
  const tls = url.protocol === "imaps:";
  if (tls && starttls) throw new CliError("--starttls goes with imap://, not imaps:// (which is already TLS)");
  return { host: url.hostname.replace(/^\[(.*)\]$/, "$1"), port: url.port ? Number(url.port) : tls ? 993 : 143, security: tls ? "tls" : starttls ? "starttls" : "none", user };
}
