import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { decryptSecret, encryptSecret, generateKeyEntry, keyIdOf, keyRing, parseKeyRing } from "./secret-box";

const key = (byte: number) => Buffer.alloc(32, byte).toString("base64");
const ringA = parseKeyRing(`a:${key(1)}`);

describe("encryptSecret / decryptSecret", () => {
  test.each(["hunter2", "", "pässwörd ✉️ 密码", "x".repeat(100_000)])("round-trips %#", (plaintext) => {
    const sealed = encryptSecret(plaintext, ringA);
    expect(sealed).toMatch(/^tlenc:a:[A-Za-z0-9+/]+=*$/);
    expect(sealed).not.toContain(plaintext || "\0");
    expect(decryptSecret(sealed, ringA)).toBe(plaintext);
  });

  test("uses a fresh IV every time", () => {
    const first = encryptSecret("same", ringA);
    const second = encryptSecret("same", ringA);
    expect(first).not.toBe(second);
    expect(decryptSecret(second, ringA)).toBe("same");
  });

  test.each([
    ["ciphertext", (raw: Buffer) => raw[raw.length - 1]! ^ 1, -1],
    ["auth tag", (raw: Buffer) => raw[12]! ^ 1, 12],
    ["IV", (raw: Buffer) => raw[0]! ^ 1, 0],
  ] as const)("refuses a tampered %s", (_part, flip, index) => {
    const sealed = encryptSecret("transfer $100 to alice", ringA);
    const [prefix, id, payload] = sealed.split(":");
    const raw = Buffer.from(payload!, "base64");
    raw[index < 0 ? raw.length - 1 : index] = flip(raw);
    expect(() => decryptSecret(`${prefix}:${id}:${raw.toString("base64")}`, ringA)).toThrow();
  });

  test("refuses a truncated payload", () => {
    const sealed = encryptSecret("secret", ringA);
    expect(() => decryptSecret(sealed.slice(0, 30), ringA)).toThrow();
  });

  test("refuses a value encrypted under the same id with a different key", () => {
    const impostor = parseKeyRing(`a:${key(2)}`);
    expect(() => decryptSecret(encryptSecret("secret", impostor), ringA)).toThrow();
  });

  test.each(["hunter2", "tlenc:", "tlenc:a", "other:a:AAAA"])("says %j is not an encrypted secret", (value) => {
    expect(() => decryptSecret(value, ringA)).toThrow("Not an encrypted secret");
  });

  test("names the missing key and where to configure it", () => {
    const sealed = encryptSecret("secret", parseKeyRing(`retired:${key(3)}`));
    expect(() => decryptSecret(sealed, ringA)).toThrow('Encryption key "retired" is not configured; add it to THREADLINE_ENCRYPTION_KEYS');
  });
});

describe("key rotation", () => {
  const oldRing = parseKeyRing(`old:${key(4)}`);
  const rotated = parseKeyRing(`new:${key(5)}, old:${key(4)}`);

  test("the first key is current and encrypts; older keys still decrypt", () => {
    const legacy = encryptSecret("legacy token", oldRing);
    expect(rotated.current).toBe("new");
    expect(decryptSecret(legacy, rotated)).toBe("legacy token");
    const fresh = encryptSecret("fresh token", rotated);
    expect(keyIdOf(fresh)).toBe("new");
    expect(decryptSecret(fresh, rotated)).toBe("fresh token");
    // A process still on the old configuration cannot read new rows: the error says why.
    expect(() => decryptSecret(fresh, oldRing)).toThrow('Encryption key "new" is not configured');
  });

  test("keyIdOf reads the key id, or null for anything else", () => {
    expect(keyIdOf(encryptSecret("x", oldRing))).toBe("old");
    expect(keyIdOf("plain")).toBeNull();
    expect(keyIdOf("tlenc:")).toBeNull();
  });
});

describe("parseKeyRing", () => {
  test("accepts generated entries, whitespace and trailing commas", () => {
    const entry = generateKeyEntry("k2026");
    const ring = parseKeyRing(` ${entry} ,k1:${key(6)},`);
    expect(ring.current).toBe("k2026");
    expect([...ring.keys.keys()]).toEqual(["k2026", "k1"]);
    expect(ring.keys.get("k1")).toEqual(Buffer.alloc(32, 6));
  });

  test.each([
    ["empty", ""],
    ["only separators", " , ,"],
  ])("refuses an %s value", (_name, source) => {
    expect(() => parseKeyRing(source)).toThrow("THREADLINE_ENCRYPTION_KEYS is empty");
  });

  test.each([
    ["no id", `:${key(1)}`],
    ["no key", "k1"],
    ["a 16-byte key", `k1:${Buffer.alloc(16).toString("base64")}`],
    ["a 33-byte key", `k1:${Buffer.alloc(33).toString("base64")}`],
    ["a raw hex key", `k1:${"ab".repeat(32)}`],
    ["an id with a space", `k 1:${key(1)}`],
    ["one bad entry among good ones", `k1:${key(1)},k2:short`],
  ])("refuses %s", (_name, source) => {
    expect(() => parseKeyRing(source)).toThrow('THREADLINE_ENCRYPTION_KEYS entries must be "id:<32 bytes in base64>"');
  });
});

describe("keyRing from the environment", () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  test("reads THREADLINE_ENCRYPTION_KEYS", () => {
    const ring = keyRing({ ...process.env, THREADLINE_ENCRYPTION_KEYS: `env1:${key(7)}` });
    expect(ring.current).toBe("env1");
    expect(ring.keys.get("env1")).toEqual(Buffer.alloc(32, 7));
  });

  test("the embedded default creates one private key file beside the data and reuses it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-keys-"));
    dirs.push(dir);
    const env = { THREADLINE_DATA_DIR: dir } as unknown as NodeJS.ProcessEnv;
    const ring = keyRing(env);
    const file = path.join(dir, "encryption-keys");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(parseKeyRing(fs.readFileSync(file, "utf8")).keys.get(ring.current)).toEqual(ring.keys.get(ring.current));
    const sealed = encryptSecret("survives a restart", ring);
    expect(decryptSecret(sealed, parseKeyRing(fs.readFileSync(file, "utf8")))).toBe("survives a restart");
  });
});
