import { describe, expect, it } from "vitest";
import { ForbiddenHostError, UnresolvableHostError, checkImapHost, isPublicAddress } from "./check-imap-host";

const resolvesTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "fc00::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1",
  ])("%s is not public", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(["142.250.27.108", "40.99.4.34", "2a00:1450:400c:c0b::6c", "172.32.0.1", "::ffff:142.250.27.108"])("%s is public", (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe("checkImapHost", () => {
  it("accepts a name that resolves to public addresses only", async () => {
    const checked = await checkImapHost("imap.example.com", { env: {}, lookup: resolvesTo("142.250.27.108", "2a00:1450:400c:c0b::6c") });
    expect(checked.addresses).toEqual(["142.250.27.108", "2a00:1450:400c:c0b::6c"]);
  });

  it("refuses a name with any private address (DNS pointing inside)", async () => {
    await expect(checkImapHost("evil.example.com", { env: {}, lookup: resolvesTo("142.250.27.108", "10.0.0.5") })).rejects.toBeInstanceOf(ForbiddenHostError);
  });

  it("refuses loopback and metadata literals", async () => {
    await expect(checkImapHost("127.0.0.1", { env: {} })).rejects.toBeInstanceOf(ForbiddenHostError);
    await expect(checkImapHost("[::1]", { env: {} })).rejects.toBeInstanceOf(ForbiddenHostError);
    await expect(checkImapHost("169.254.169.254", { env: {} })).rejects.toThrow(/THREADLINE_ALLOW_PRIVATE_HOSTS/);
  });

  it("allows private hosts when the operator opts in", async () => {
    const checked = await checkImapHost("127.0.0.1", { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" } });
    expect(checked).toMatchObject({ addresses: ["127.0.0.1"], privateAllowed: true });
  });

  it("reports names that do not resolve", async () => {
    const lookup = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND nowhere.invalid"), { code: "ENOTFOUND" });
    };
    await expect(checkImapHost("nowhere.invalid", { env: {}, lookup })).rejects.toBeInstanceOf(UnresolvableHostError);
    await expect(checkImapHost("bad host/name", { env: {} })).rejects.toBeInstanceOf(UnresolvableHostError);
  });
});
