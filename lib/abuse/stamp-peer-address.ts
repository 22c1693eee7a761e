import http from "node:http";

/** Request header carrying the socket's address; any value a client sends is replaced. */
export const PEER_HEADER = "x-threadline-peer";

const holder = globalThis as unknown as { threadlinePeerStamp?: boolean };

/**
 * Next's request objects do not expose the socket, and it keeps a client-sent X-Forwarded-For. So
 * every incoming request gets its socket address written into PEER_HEADER before any handler runs
 * (instrumentation calls this once at start-up, in the Node runtime).
 */
export function stampPeerAddresses() {
  if (holder.threadlinePeerStamp) return;
  holder.threadlinePeerStamp = true;
  const emit = http.Server.prototype.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  http.Server.prototype.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const request = args[0] as http.IncomingMessage;
      request.headers[PEER_HEADER] = request.socket?.remoteAddress ?? "unknown";
    }
    return emit.call(this, event, ...args);
  } as typeof http.Server.prototype.emit;
}
