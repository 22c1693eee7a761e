import type { InngestFunction } from "inngest";
import { serve } from "inngest/next";
import { jobMode } from "@/lib/jobs/job-mode";
import { inngest } from "./client";
import { createJobFunctions } from "./functions";

type ServeHandlers = { GET: RouteHandler; POST: RouteHandler; PUT: RouteHandler };
type RouteHandler = (request: Request, context?: unknown) => Promise<Response>;

/** The SDK's serve() handler over the given functions, callable with a plain Request. */
export function createServeHandler(functions: InngestFunction.Any[]): (request: Request) => Promise<Response> {
  const handlers = serve({ client: inngest, functions }) as unknown as ServeHandlers;
  return (request) => {
    const handler = handlers[request.method as keyof ServeHandlers];
    if (!handler) return Promise.resolve(new Response("Method not allowed", { status: 405 }));
    return handler(request, undefined);
  };
}

const holder = globalThis as unknown as { threadlineServeHandler?: (request: Request) => Promise<Response> };

/** The app's own handler (one per process), for the route and for the in-process runner alike. */
export function appServeHandler(): (request: Request) => Promise<Response> {
  return (holder.threadlineServeHandler ??= createServeHandler(createJobFunctions()));
}

/**
 * GET/POST/PUT for app/api/inngest. In in-process mode the client runs in dev mode (no signatures),
 * so the endpoint is closed to HTTP: only the runner inside this process calls the handler.
 */
export function inngestRouteHandlers(): ServeHandlers {
  const route: RouteHandler = async (request) => {
    if (jobMode() === "in-process") {
      return Response.json(
        { error: "Inngest is not configured: jobs run inside the app. Set INNGEST_SIGNING_KEY and INNGEST_EVENT_KEY (or INNGEST_DEV=1) to serve them to Inngest." },
        { status: 404 },
      );
    }
    return appServeHandler()(request);
  };
  return { GET: route, POST: route, PUT: route };
}
