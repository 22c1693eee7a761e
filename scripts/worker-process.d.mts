// Types for scripts/worker-process.mjs (plain JavaScript so `npm run worker` needs no TypeScript loader).
export declare const BUILD_DIR: string;
export declare const WORKER_NODE_FLAGS: readonly string[];
export declare function buildEntry(entry: string, outfile: string): Promise<string>;
