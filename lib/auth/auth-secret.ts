import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

let ephemeral: string | undefined;

/**
 * AUTH_SECRET signs and encrypts the session cookie. Production must set it; in development a
 * secret is generated once and kept beside the embedded data so `npm run dev` needs no setup and
 * sessions survive restarts.
 */
export function resolveAuthSecret(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  if (env.NODE_ENV === "production") {
    throw new Error("AUTH_SECRET must be set in production. Generate one with: openssl rand -base64 33");
  }
  if (env.THREADLINE_DATA_DIR === "memory://") return (ephemeral ??= crypto.randomBytes(33).toString("base64"));
  // The data dir is chosen at run time; the comment keeps Turbopack from tracing the whole project.
  const dir = path.resolve(/*turbopackIgnore: true*/ env.THREADLINE_DATA_DIR ?? ".data");
  const file = path.join(dir, "auth-secret");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    try {
      fs.writeFileSync(file, crypto.randomBytes(33).toString("base64"), { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process won the race; its secret is the one to use.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return fs.readFileSync(file, "utf8").trim();
}
