import type { EventInput } from "./in-process-runner";

type Deliver = (events: EventInput[]) => Promise<{ ids: string[] }> | { ids: string[] };

// On globalThis: Next bundles instrumentation and route handlers separately, and both must reach
// the one runner the process started.
const holder = globalThis as unknown as { threadlineEventDelivery?: Deliver | null };

/** The origin the Inngest client posts events to in in-process mode; nothing listens there. */
export const IN_PROCESS_EVENT_ORIGIN = "http://in-process.threadline.internal";

/** Where events sent with the Inngest client go in this process (the runner, or a forwarder). */
export function setEventDelivery(deliver: Deliver | null): void {
  holder.threadlineEventDelivery = deliver;
}

/**
 * The Inngest client's `fetch` in in-process mode: the event API (`POST /e/<key>`) is answered here,
 * by handing the events to the runner; nothing ever leaves the process.
 */
export async function inProcessEventFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
  const request = new Request(input, init);
  const url = new URL(request.url);
  if (request.method !== "POST" || !/^\/e\/[^/]+\/?$/.test(url.pathname)) {
    return json(404, { error: `in-process jobs do not serve ${request.method} ${url.pathname}`, status: 404 });
  }
  const deliver = holder.threadlineEventDelivery;
  if (!deliver) {
    return json(503, {
      error: "No job runner in this process: start the app (or `npm run worker`), or configure Inngest",
      status: 503,
    });
  }
  const body = (await request.json()) as EventInput | EventInput[];
  const events = Array.isArray(body) ? body : [body];
  const bad = events.find((e) => !e || typeof e.name !== "string" || e.name.length === 0);
  if (bad) return json(400, { error: "every event needs a name", status: 400 });
  const { ids } = await deliver(events);
  return json(200, { ids, status: 200 });
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
}
