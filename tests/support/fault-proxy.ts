import net from "node:net";

// A TCP proxy that breaks connections the way networks do, reproducibly: every decision (cut or not,
// after how many bytes, how writes are sliced and delayed) is drawn from a PRNG seeded by the test, in
// connection order, so a failing seed replays the same faults.

export type FaultPlan = {
  // Share of connections that are cut (0: none, 1: all).
  cutProbability: number;
  // A cut connection is closed once this many bytes (both directions together) went through,
  // drawn uniformly from [min, max]; the chunk that crosses the line is forwarded only up to it.
  cutAfterBytes: [min: number, max: number];
  // Share of forwarded chunks split into 2–4 pieces, each written separately.
  sliceProbability?: number;
  // Each piece of a split chunk waits 0..maxDelayMs ms before it is written (order is kept).
  maxDelayMs?: number;
};

export type FaultProxy = {
  host: string;
  port: number;
  // Connections accepted so far, and how many of them the proxy cut.
  readonly connections: number;
  readonly cuts: number;
  // Bytes forwarded in both directions, all connections.
  readonly bytes: number;
  // Faults for connections accepted from now on.
  setPlan(plan: FaultPlan): void;
  // Called as bytes flow (e.g. to stop something else mid-transfer).
  onBytes(listener: ((total: number) => void) | null): void;
  close(): Promise<void>;
};

export const NO_FAULTS: FaultPlan = { cutProbability: 0, cutAfterBytes: [0, 0] };

export async function startFaultProxy(options: { target: { host: string; port: number }; seed: number; plan?: FaultPlan }): Promise<FaultProxy> {
  const random = mulberry32(options.seed);
  let plan = options.plan ?? NO_FAULTS;
  let connections = 0;
  let cuts = 0;
  let bytes = 0;
  let listener: ((total: number) => void) | null = null;
  const sockets = new Set<net.Socket>();

  const server = net.createServer((client) => {
    connections++;
    const current = plan;
    const limit = random() < current.cutProbability ? Math.round(current.cutAfterBytes[0] + random() * (current.cutAfterBytes[1] - current.cutAfterBytes[0])) : Infinity;
    // Its own generator, seeded in connection order, so timing never changes which faults a seed produces.
    const draw = mulberry32(Math.floor(random() * 2 ** 32));
    let passed = 0;
    let cut = false;
    const upstream = net.connect(options.target.port, options.target.host);
    sockets.add(client).add(upstream);
    const destroy = () => {
      client.destroy();
      upstream.destroy();
    };

    const pipe = (from: net.Socket, to: net.Socket) => {
      // Writes of one direction stay in order even when delayed.
      let chain = Promise.resolve();
      from.on("data", (chunk: Buffer) => {
        if (cut) return;
        let data = chunk;
        if (passed + data.length >= limit) {
          data = data.subarray(0, Math.max(0, limit - passed));
          cut = true;
          cuts++;
        }
        passed += data.length;
        bytes += data.length;
        listener?.(bytes);
        const pieces = slices(data, current.sliceProbability ?? 0, draw);
        const delays = pieces.map(() => (pieces.length > 1 ? Math.floor(draw() * ((current.maxDelayMs ?? 0) + 1)) : 0));
        const closing = cut;
        if (!delays.some((d) => d > 0) && !closing) {
          for (const piece of pieces) to.write(piece);
          return;
        }
        from.pause();
        chain = chain.then(async () => {
          for (const [i, piece] of pieces.entries()) {
            if (delays[i]) await new Promise((resolve) => setTimeout(resolve, delays[i]));
            if (!to.destroyed) to.write(piece);
          }
          // The cut lands after the bytes before it: the peer sees a response stop mid-way.
          if (closing) await new Promise<void>((resolve) => (to.destroyed ? resolve() : to.write(Buffer.alloc(0), () => resolve())));
          if (closing) destroy();
          else from.resume();
        });
      });
      from.on("end", () => void chain.then(() => to.end()));
    };
    pipe(client, upstream);
    pipe(upstream, client);
    for (const socket of [client, upstream]) {
      socket.on("error", destroy);
      socket.on("close", () => {
        sockets.delete(socket);
        destroy();
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    host: "127.0.0.1",
    port,
    get connections() {
      return connections;
    },
    get cuts() {
      return cuts;
    },
    get bytes() {
      return bytes;
    },
    setPlan(next) {
      plan = next;
    },
    onBytes(next) {
      listener = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A small, fast, seedable PRNG (mulberry32): the same seed gives the same sequence everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed | 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function slices(data: Buffer, probability: number, draw: () => number): Buffer[] {
  if (data.length < 2 || draw() >= probability) return [data];
  const count = 2 + Math.floor(draw() * 3);
  const cuts = [...new Set(Array.from({ length: count - 1 }, () => 1 + Math.floor(draw() * (data.length - 1))))].sort((a, b) => a - b);
  return [0, ...cuts].map((start, i) => data.subarray(start, cuts[i] ?? data.length));
}
