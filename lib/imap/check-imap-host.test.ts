import { describe, expect, it } from "vitest";
import { ForbiddenHostError, UnresolvableHostError, checkImapHost, isPublicAddress } from "./check-imap-host";

const resolvesTo = (...addresses: string[]) => async () => addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

describe("isPublicAddress", () => {
  it.each([
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00::1", "fc00::1", "ff02::1",
    "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:c0a8:0101::1",
    // CGNAT, metadata (AWS IPv4 and IPv6), the rest of 0/8, benchmark and documentation ranges.
    "100.127.255.254", "fd00:ec2::254", "0.1.2.3", "198.18.0.1", "192.0.2.1",
    // fc00::/7 and fe80::/10 edges, a scoped link-local, site-local.
    "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "febf::1", "fe80::1%eth0", "fec0::1",
    // IPv4 inside IPv6: mapped (dotted and hex), translated, compatible, NAT64 well-known and local-use, 6to4, Teredo.
    "::ffff:169.254.169.254", "::ffff:a9fe:a9fe", "::ffff:0:7f00:1", "::127.0.0.1", "::7f00:1", "64:ff9b::127.0.0.1", "64:ff9b::7f00:1",
    "64:ff9b:1::a00:1", "2002:7f00:1::", "2001:0:4136:e378:8000:63bf:3fff:fdd2",
  ])("%s is not public", (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each(["142.250.27.108", "40.99.4.34", "2a00:1450:400c:c0b::6c", "172.32.0.1", "::ffff:142.250.27.108", "100.128.0.1", "2001:4860:4860::8888", "64:ff9b::8efa:1b6c"])("%s is public", (address) => {
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

  it.each([
    ["2130706433", "127.0.0.1"], ["0x7f.1", "127.0.0.1"], ["127.1", "127.0.0.1"], ["0177.0.0.1", "127.0.0.1"], ["0x7f000001", "127.0.0.1"],
    ["017700000001", "127.0.0.1"], ["0xa9.0xfe.0xa9.0xfe", "169.254.169.254"], ["2852039166", "169.254.169.254"], ["0", "0.0.0.0"],
    ["127.0.0.1.", "127.0.0.1"], ["[::ffff:127.0.0.1]", "::ffff:127.0.0.1"], ["[fd00:ec2::254]", "fd00:ec2::254"], ["0.0.0.0", "0.0.0.0"],
  ])("the numeric form %s is judged as %s, whatever the resolver says", async (host, address) => {
    const lookup = async () => [{ address: "142.250.27.108", family: 4 }];
    await expect(checkImapHost(host, { env: {}, lookup })).rejects.toMatchObject({ name: "ForbiddenHostError", address });
    // Allowed by the operator: the connection goes to that address, not to a name a resolver could reinterpret.
    expect(await checkImapHost(host, { env: { THREADLINE_ALLOW_PRIVATE_HOSTS: "1" }, lookup })).toMatchObject({ addresses: [address] });
  });

  it("a trailing dot does not slip a name past the check", async () => {
    const lookup = async (name: string) => (name === "localhost" ? [{ address: "127.0.0.1", family: 4 }] : []);
    await expect(checkImapHost("localhost.", { env: {}, lookup })).rejects.toMatchObject({ name: "ForbiddenHostError", address: "127.0.0.1" });
    await expect(checkImapHost("localhost", { env: {} })).rejects.toBeInstanceOf(ForbiddenHostError);
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
