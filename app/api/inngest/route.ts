import { inngestRouteHandlers } from "@/inngest/serve";

// Inngest (cloud, self-hosted, dev server) calls the app's durable functions here.
export const { GET, POST, PUT } = inngestRouteHandlers();
export const dynamic = "force-dynamic";
// Sync steps are bounded (THREADLINE_SYNC_STEP_SECONDS, 20 s by default) well inside this.
export const maxDuration = 60;
