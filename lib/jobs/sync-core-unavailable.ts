import type { RunSyncStep } from "./sync-step";

/** Until the sync core's step entry point is wired in, sync runs fail visibly rather than pretend. */
export const syncCoreUnavailable: RunSyncStep = async () => {
  throw Object.assign(new Error("The sync core is not wired into the jobs yet"), { syncFailureKind: "permanent" });
};
