import type { Database } from "@/db/connect";
import { MissingKeyError, reencryptSecrets } from "@/lib/accounts/reencrypt-secrets";
import { keyRing } from "@/lib/crypto/secret-box";
import { type CliArgs, CliError } from "./args";

// keys:rotate — re-encrypts every stored secret (IMAP passwords, OAuth tokens) under the current key.
// Put the new key first: THREADLINE_ENCRYPTION_KEYS="new:<32 bytes base64>,old:<...>"
// (a key: `openssl rand -base64 32`). Keep the old key listed until this reports nothing left under it.
export async function keysRotate(_args: CliArgs, db: Database) {
  const ring = keyRing();
  try {
    const report = await reencryptSecrets(db, { ring });
    return { ok: true, keys: [...ring.keys.keys()], ...report };
  } catch (error) {
    if (error instanceof MissingKeyError) throw new CliError(error.message, 1);
    throw error;
  }
}
