import type { FetchMessageObject, FetchOptions, FetchQueryObject, ImapFlow } from "imapflow";
import { DEFAULT_TIMEOUTS, type ImapConnection, throttledSince } from "./connect-imap";
import { ImapError, classifyImapError } from "./imap-error";

/**
 * imapflow has no per-command timeout: a server that accepts a command and never answers would
 * hang the sync until the socket timeout (minutes). This races one command against a timer and,
 * on expiry, closes the connection (its state is unknown after an unanswered command).
 * Every failure comes out as an ImapError.
 */
export async function withImapTimeout<T>(client: ImapFlow, label: string, work: () => Promise<T>, ms = commandTimeout(client)): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const began = Date.now();
  const pending = work();
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      client.close();
      reject(new ImapError("timeout", `${label}: no answer within ${ms} ms`, { code: "COMMAND_TIMEOUT" }));
    }, ms);
  });
  try {
    return await Promise.race([pending, expired]);
  } catch (error) {
    // imapflow waits out a throttled command's back-off (and retries a FETCH) before failing it:
    // when that outlasts the timeout, the failure is still the throttling, with the server's delay.
    throw throttledSince(client, began, error) ?? classifyImapError(error);
  } finally {
    clearTimeout(timer);
    // The losing side may still reject (the close above fails the command): nobody awaits it.
    pending.catch(() => {});
  }
}

/**
 * client.fetch() as an async iterator whose every step must make progress within the command
 * timeout. Time the caller spends between steps does not count (imapflow applies backpressure to
 * the socket while the consumer works), so a slow database never trips it.
 */
export async function* fetchWithTimeout(
  client: ImapFlow,
  range: string,
  query: FetchQueryObject,
  options: FetchOptions,
  ms = commandTimeout(client),
): AsyncGenerator<FetchMessageObject> {
  const iterator = client.fetch(range, query, options)[Symbol.asyncIterator]();
  let finished = false;
  try {
    while (true) {
      const step = await withImapTimeout(client, `UID FETCH ${range.slice(0, 40)}`, () => iterator.next(), ms);
      if (step.done) {
        finished = true;
        return;
      }
      yield step.value;
    }
  } finally {
    // Leaving early (break, error): let imapflow drain the rest of the response.
    if (!finished) await iterator.return?.(undefined).catch(() => {});
  }
}

function commandTimeout(client: ImapFlow): number {
  return (client as Partial<ImapConnection>).threadlineTimeouts?.commandMs ?? DEFAULT_TIMEOUTS.commandMs;
}
