import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const PREFIX = "tlenc";

export type KeyRing = { current: string; keys: Map<string, Buffer> };

/**
 * Ciphertext format: `tlenc:<keyId>:<base64(iv | tag | ciphertext)>`. The key id lets old rows
 * stay readable while `keys:rotate` re-encrypts them under the current key.
 */
export function encryptSecret(plaintext: string, ring: KeyRing = keyRing()): string {
  const key = ring.keys.get(ring.current)!;
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
  return `${PREFIX}:${ring.current}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString("base64")}`;
}

export function decryptSecret(value: string, ring: KeyRing = keyRing()): string {
  const [prefix, keyId, payload] = value.split(":");
  if (prefix !== PREFIX || !keyId || !payload) throw new Error("Not an encrypted secret");
  const key = ring.keys.get(keyId);
  if (!key) throw new Error(`Encryption key "${keyId}" is not configured; add it to THREADLINE_ENCRYPTION_KEYS`);
  const raw = Buffer.from(payload, "base64");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString("utf8");
}

export function encryptOptional(value: string | null | undefined): string | null {
  return value == null ? null : encryptSecret(value);
}

export function decryptOptional(value: string | null | undefined): string | null {
  return value == null ? null : decryptSecret(value);
}

export function keyIdOf(value: string): string | null {
  const [prefix, keyId] = value.split(":");
  return prefix === PREFIX && keyId ? keyId : null;
}

let cached: { source: string; ring: KeyRing } | undefined;

/**
 * Keys come from THREADLINE_ENCRYPTION_KEYS ("id:base64key,…", first is current). The embedded
 * default generates one key file beside the PGlite data so `npm run dev` needs no setup.
 */
export function keyRing(env: NodeJS.ProcessEnv = process.env): KeyRing {
  // The embedded ring depends on where the data dir is and whether production forbids it.
  const source = [env.THREADLINE_ENCRYPTION_KEYS ?? "", env.THREADLINE_DATA_DIR ?? "", env.DATABASE_URL ? "pg" : "", env.NODE_ENV].join("\n");
  if (cached && cached.source === source) return cached.ring;
  const ring = env.THREADLINE_ENCRYPTION_KEYS ? parseKeyRing(env.THREADLINE_ENCRYPTION_KEYS) : embeddedKeyRing(env);
  cached = { source, ring };
  return ring;
}

export function parseKeyRing(source: string): KeyRing {
  const keys = new Map<string, Buffer>();
  let current = "";
  for (const entry of source.split(",").map((s) => s.trim()).filter(Boolean)) {
    const [id, b64] = entry.split(":");
    const key = Buffer.from(b64 ?? "", "base64");
    if (!id || !/^[A-Za-z0-9_-]+$/.test(id) || key.length !== 32) {
      throw new Error('THREADLINE_ENCRYPTION_KEYS entries must be "id:<32 bytes in base64>"');
    }
    keys.set(id, key);
    current ||= id;
  }
  if (!current) throw new Error("THREADLINE_ENCRYPTION_KEYS is empty");
  return { current, keys };
}

export function generateKeyEntry(id: string): string {
  return `${id}:${crypto.randomBytes(32).toString("base64")}`;
}

function embeddedKeyRing(env: NodeJS.ProcessEnv): KeyRing {
  if (env.DATABASE_URL && env.NODE_ENV === "production") {
    throw new Error("THREADLINE_ENCRYPTION_KEYS must be set when running on Postgres in production");
  }
  const dir = path.resolve(env.THREADLINE_DATA_DIR && env.THREADLINE_DATA_DIR !== "memory://" ? env.THREADLINE_DATA_DIR : ".data");
  const file = path.join(dir, "encryption-keys");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dir, { recursive: true });
    try {
      fs.writeFileSync(file, generateKeyEntry("k1"), { mode: 0o600, flag: "wx" });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  return parseKeyRing(fs.readFileSync(file, "utf8"));
}
