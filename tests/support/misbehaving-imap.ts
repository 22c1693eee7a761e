import net from "node:net";

/**
 * What the proxy does to the sessions passing through it. Read live at every event, so a test can
 * change it between (or during) sessions with `proxy.set(...)`.
 */
export type Misbehaviour = {
  // Delay before every chunk of server data is passed on (order is kept).
  latencyMs?: number;
  // Stop passing server data on (the connection stays open, the client hears nothing ever again)
  // once a client command matches `command` (after `afterLines` lines of its response, default 0),
  // or once `commands` commands were sent (0: not even the greeting).
  stall?: { command?: RegExp; afterLines?: number; commands?: number };
  // While the response to a matching command comes back: after `afterLines` response lines (default
  // 1), or `afterMs` after the command when sooner, send `* BYE <text>` and close both sides.
  bye?: { command: RegExp; afterLines?: number; afterMs?: number; text?: string };
  // Every session sees every folder's UIDVALIDITY shifted by its session number (SELECT/EXAMINE's
  // `[UIDVALIDITY n]`, STATUS and LIST-STATUS's `UIDVALIDITY n`): a server that renumbers each login.
  churnUidValidity?: boolean;
  // Answer a matching command here without passing it on: `${tag} ${reply}` (e.g. "NO [THROTTLED] …"),
  // optionally followed by `* BYE` and a close, as Office 365 does. `times` limits how often.
  refuse?: { command: RegExp; reply: string; times?: number; thenBye?: string };
};

export type LoginRecord = { at: number; session: number; command: string };

export type MisbehavingImap = {
  host: string;
  port: number;
  set(behaviour: Misbehaviour): void;
  // LOGIN / AUTHENTICATE commands seen from clients, with the time they were sent.
  readonly logins: LoginRecord[];
  // Every command line seen (tag stripped, credentials masked), per session.
  readonly commands: { at: number; session: number; line: string }[];
  readonly sessionCount: number;
  openSessions(): number;
  // The most logins seen in any window of `windowMs`.
  maxLoginsInWindow(windowMs: number): number;
  // Cuts every open session (as a server restart would).
  dropAll(): void;
  close(): Promise<void>;
};

/**
 * A line-aware IMAP proxy in front of a real server that misbehaves on request: slow, stalled,
 * BYE in the middle of a response, a UIDVALIDITY that changes every session, throttling replies.
 * It splits both directions into whole IMAP lines (literals included), so what it injects always
 * lands between two responses, never inside one. Plain IMAP only (no STARTTLS, no COMPRESS).
 */
export async function startMisbehavingImap(
  upstream: { host: string; port: number },
  initial: Misbehaviour = {},
  // Stamps logins and commands; a test whose jobs run on a recording clock passes that clock's now.
  options: { now?: () => number } = {},
): Promise<MisbehavingImap> {
  let behaviour: Misbehaviour = { ...initial };
  const now = options.now ?? Date.now;
  let sessionCount = 0;
  let refusals = 0;
  const logins: LoginRecord[] = [];
  const commands: { at: number; session: number; line: string }[] = [];
  const open = new Set<() => void>();

  const server = net.createServer((client) => {
    const session = ++sessionCount;
    const upstreamSocket = net.connect(upstream.port, upstream.host);
    let commandsSeen = 0;
    let stalled = behaviour.stall?.commands === 0;
    let stallIn: number | null = null;
    let closed = false;
    let bye: { remaining: number; text: string; timer: NodeJS.Timeout | null } | null = null;
    let chain = Promise.resolve();

    const shut = () => {
      if (closed) return;
      closed = true;
      if (bye?.timer) clearTimeout(bye.timer);
      open.delete(shut);
      client.destroy();
      upstreamSocket.destroy();
    };
    open.add(shut);
    const sayBye = (text: string) => {
      if (closed) return;
      client.end(`* BYE ${text}\r\n`);
      upstreamSocket.destroy();
      closed = true;
      open.delete(shut);
      setTimeout(() => client.destroy(), 50).unref();
    };
    const toClient = (data: string | Buffer) => {
      if (!closed && !stalled) client.write(data);
    };

    const fromServer = new LineSplitter((unit) => {
      if (closed || stalled) return;
      if (stallIn !== null && stallIn-- <= 0) {
        stalled = true;
        return;
      }
      let out = unit;
      if (behaviour.churnUidValidity) out = churn(out, session);
      if (bye) {
        const tagged = /^[A-Za-z0-9]+ (OK|NO|BAD)\b/.test(out.subarray(0, 40).toString("latin1")) && !out.subarray(0, 2).equals(Buffer.from("* "));
        if (tagged || bye.remaining <= 0) return sayBye(bye.text);
        bye.remaining--;
        toClient(out);
        if (bye.remaining <= 0) return sayBye(bye.text);
        return;
      }
      toClient(out);
    });

    const fromClient = new LineSplitter((unit) => {
      const text = unit.toString("latin1");
      const match = text.match(/^(\S+) ([^\r\n]*)/);
      const isCommand = match && !/^DONE\b/i.test(text) && !text.startsWith("+");
      if (!isCommand) return void upstreamSocket.write(unit);
      const tag = match[1]!;
      const line = match[2]!;
      commandsSeen++;
      commands.push({ at: now(), session, line: mask(line) });
      if (/^(LOGIN|AUTHENTICATE)\b/i.test(line)) logins.push({ at: now(), session, command: line.split(" ")[0]!.toUpperCase() });
      const b = behaviour;
      if (b.refuse && b.refuse.command.test(line) && (b.refuse.times === undefined || refusals < b.refuse.times)) {
        refusals++;
        toClient(`${tag} ${b.refuse.reply}\r\n`);
        if (b.refuse.thenBye) sayBye(b.refuse.thenBye);
        return;
      }
      if (b.stall?.command?.test(line)) {
        if (b.stall.afterLines) stallIn = b.stall.afterLines;
        else stalled = true;
      }
      if (b.stall?.commands !== undefined && commandsSeen >= b.stall.commands) stalled = true;
      if (b.bye && b.bye.command.test(line)) {
        const text = b.bye.text ?? "Server shutting down";
        bye = { remaining: b.bye.afterLines ?? 1, text, timer: null };
        if (b.bye.afterMs !== undefined) bye.timer = setTimeout(() => sayBye(text), b.bye.afterMs);
      }
      upstreamSocket.write(unit);
    });

    upstreamSocket.on("data", (chunk) => {
      const latency = behaviour.latencyMs ?? 0;
      if (latency > 0) chain = chain.then(() => new Promise<void>((resolve) => setTimeout(() => (fromServer.push(chunk), resolve()), latency)));
      else chain = chain.then(() => fromServer.push(chunk));
    });
    client.on("data", (chunk) => fromClient.push(chunk));
    client.on("error", shut);
    upstreamSocket.on("error", shut);
    client.on("close", shut);
    upstreamSocket.on("close", () => {
      // A real server closing: pass the close on once everything before it was delivered.
      void chain.then(() => {
        if (!stalled) shut();
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    host: "127.0.0.1",
    port,
    set(next) {
      behaviour = { ...next };
      refusals = 0;
    },
    logins,
    commands,
    get sessionCount() {
      return sessionCount;
    },
    openSessions: () => open.size,
    maxLoginsInWindow(windowMs) {
      let best = 0;
      for (const first of logins) best = Math.max(best, logins.filter((l) => l.at >= first.at && l.at < first.at + windowMs).length);
      return best;
    },
    dropAll() {
      for (const shut of [...open]) shut();
    },
    async close() {
      for (const shut of [...open]) shut();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Splits a byte stream into IMAP units: one line with every literal it announces (`{n}` / `{n+}` /
 * `~{n}` at a line's end), so a unit is always a whole response or a whole command line.
 */
class LineSplitter {
  private buffer: Buffer = Buffer.alloc(0);
  private unitStart = 0;
  private literalLeft = 0;
  private scan = 0;

  constructor(private readonly emit: (unit: Buffer) => void) {}

  push(chunk: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      if (this.literalLeft > 0) {
        const available = this.buffer.length - this.scan;
        if (available < this.literalLeft) {
          this.literalLeft -= available;
          this.scan = this.buffer.length;
          break;
        }
        this.scan += this.literalLeft;
        this.literalLeft = 0;
      }
      const eol = this.buffer.indexOf("\r\n", this.scan);
      if (eol < 0) break;
      const line = this.buffer.subarray(this.scan, eol).toString("latin1");
      this.scan = eol + 2;
      const literal = line.match(/\{(\d+)\+?\}$/);
      if (literal) {
        this.literalLeft = Number(literal[1]);
        continue;
      }
      this.emit(Buffer.from(this.buffer.subarray(this.unitStart, this.scan)));
      this.unitStart = this.scan;
    }
    if (this.unitStart > 0) {
      this.buffer = this.buffer.subarray(this.unitStart);
      this.scan -= this.unitStart;
      this.unitStart = 0;
    }
  }
}

// Only status-like responses carry UIDVALIDITY; message literals are never touched.
function churn(unit: Buffer, session: number): Buffer {
  const head = unit.subarray(0, 24).toString("latin1");
  if (!/^\* (OK \[UIDVALIDITY|STATUS|NO \[UIDVALIDITY)/i.test(head)) return unit;
  const text = unit
    .toString("latin1")
    .replace(/(\[UIDVALIDITY )(\d+)\]/i, (_, p: string, n: string) => `${p}${shift(n, session)}]`)
    .replace(/(\bUIDVALIDITY )(\d+)(?=[\s)])/i, (_, p: string, n: string) => `${p}${shift(n, session)}`);
  return Buffer.from(text, "latin1");
}

function shift(value: string, session: number): number {
  return ((Number(value) + session * 7919) % 0xffffffff) || 1;
}

function mask(line: string): string {
  return line.replace(/^(LOGIN|AUTHENTICATE)\b.*/i, (m) => m.split(" ")[0]! + " ***");
}
