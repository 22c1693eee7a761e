import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, expect, it } from "vitest";
import { clientIp } from "@/lib/abuse/client-ip";
import { PEER_HEADER, stampPeerAddresses } from "@/lib/abuse/stamp-peer-address";

/*
 * Which address a rate limit counts: the socket's (stamped on every request by a real Node HTTP
 * server, whatever the client claims), or the one a trusted proxy appended to X-Forwarded-For.
 */

let server: http.Server;
let seen: Record<string, string | string[] | undefined>[] = [];

beforeAll(async () => {
  stampPeerAddresses();
  server = http.createServer((request, response) => {
    seen.push({ ...request.headers });
    response.end("ok");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it("the socket address replaces whatever the client sent as the peer header", async () => {
  seen = [];
  const { port } = server.address() as AddressInfo;
  await fetch(`http://127.0.0.1:${port}/`, { headers: { [PEER_HEADER]: "203.0.113.9", "x-forwarded-for": "203.0.113.9" } });
  expect(seen[0]![PEER_HEADER]).toBe("127.0.0.1");
  const headers = new Headers(seen[0] as Record<string, string>);
  expect(clientIp(headers, {})).toBe("127.0.0.1");
  expect(clientIp(headers, { THREADLINE_TRUST_PROXY: "1" })).toBe("203.0.113.9");
});

it("X-Forwarded-For counts only behind a trusted proxy, from the right", () => {
  const headers = new Headers({ "x-forwarded-for": "1.1.1.1, 10.0.0.5, 198.51.100.4", [PEER_HEADER]: "::ffff:10.0.0.9" });
  expect(clientIp(headers, {})).toBe("10.0.0.9");
  expect(clientIp(headers, { THREADLINE_TRUST_PROXY: "0" })).toBe("10.0.0.9");
  expect(clientIp(headers, { THREADLINE_TRUST_PROXY: "1" })).toBe("198.51.100.4");
  expect(clientIp(headers, { THREADLINE_TRUST_PROXY: "2" })).toBe("10.0.0.5");
  expect(clientIp(headers, { THREADLINE_TRUST_PROXY: "9" })).toBe("1.1.1.1");
  expect(clientIp(new Headers(), {})).toBe("unknown");
});
