import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { repoRoot, walkApp } from "./support";

/*
 * Under the organisation (app/(dashboard)/[slug]/**, app/api/orgs/**) every query goes through the
 * database the guard scopes with runAsOrg (withOrg's `db`, orgAction's `ctx.db` / `ctx.runAsOrg`,
 * `runAsOrg(ctx, (db) => …)` in pages), so Postgres confines it to the organisation as well. The app's
 * global `db` from "@/db" runs as the owner, outside row-level security: only the files below may
 * import it, each for a reason. A new page or route that imports it fails here.
 */
const SYSTEM_PATH: Record<string, string> = {
  "(dashboard)/[slug]/layout.tsx": "The organisation switcher lists the signed-in user's own memberships across organisations (after the guard).",
  "admin/page.tsx": "Platform admin (THREADLINE_PLATFORM_ADMINS): every organisation by design.",
  "admin/orgs/[slug]/page.tsx": "Platform admin (THREADLINE_PLATFORM_ADMINS): any organisation by design.",
  "admin/orgs/[slug]/accounts/[accountId]/page.tsx": "Platform admin (THREADLINE_PLATFORM_ADMINS): any organisation by design.",
  "new/page.tsx": "Creating an organisation: the user has none yet.",
  "new/actions.ts": "Creating an organisation: the user has none yet.",
  "page.tsx": "The signed-in user's organisations, to pick one: before any organisation is chosen.",
  "invite/[token]/page.tsx": "An invitation is read by its token before the reader is a member.",
  "invite/[token]/actions.ts": "Accepting an invitation makes the reader a member: no organisation context yet.",
};

/*
 * Where the organisation's queries run as the owner on purpose (withoutRowLevelSecurity in
 * lib/tenancy/run-as-org.ts): a policy lets Postgres use an index only for leakproof conditions, so
 * full-text and substring search would read every row of the organisation. The search SQL filters by
 * organisation itself (tests/search/search-visibility, the cross-tenant test).
 */
const WITHOUT_RLS: Record<string, string> = {
  "api/orgs/[slug]/search/route.ts": "Search: GIN (full-text) and substring matches.",
  "(dashboard)/[slug]/search/page.tsx": "Search: GIN (full-text) and substring matches.",
};

const ORG_SCOPED = /^(\(dashboard\)\/\[slug\]\/|api\/orgs\/)/;
const IMPORTS_GLOBAL_DB = /from\s+["']@\/db["']/;

describe("the scoped database under the organisation", () => {
  const importing = walkApp((_rel, source) => IMPORTS_GLOBAL_DB.test(source));

  it("only the system-path allow-list imports the global db from @/db", () => {
    expect(importing.filter((file) => !(file in SYSTEM_PATH)), "use the guard's scoped db (runAsOrg) instead, or add the file to SYSTEM_PATH with the reason").toEqual([]);
  });

  it("no page, layout, route or action under the organisation imports it except the layout's switcher", () => {
    expect(importing.filter((file) => ORG_SCOPED.test(file))).toEqual(["(dashboard)/[slug]/layout.tsx"]);
  });

  it("the allow-list has no stale entries", () => {
    for (const file of Object.keys(SYSTEM_PATH)) expect(fs.existsSync(path.join(repoRoot, "app", file)), file).toBe(true);
  });

  it("every data-loading file under the organisation goes through the guard's scope", () => {
    // A file that loads tenant data names a lib function with a db argument; without an import of @/db
    // that db can only come from withOrg, orgAction or runAsOrg.
    const loaders = walkApp((rel, source) => ORG_SCOPED.test(rel) && /\(db, /.test(source) && !(rel in SYSTEM_PATH));
    expect(loaders.length).toBeGreaterThan(10);
    for (const file of loaders) {
      const source = fs.readFileSync(path.join(repoRoot, "app", file), "utf8");
      expect(/withOrg|orgAction|runAsOrg|withoutRowLevelSecurity/.test(source), `${file} queries without withOrg, orgAction or runAsOrg`).toBe(true);
    }
  });
});

describe("running without row-level security", () => {
  it("only the listed files use withoutRowLevelSecurity", () => {
    expect(walkApp((_rel, source) => /withoutRowLevelSecurity/.test(source))).toEqual(Object.keys(WITHOUT_RLS).sort());
    const lib = path.join(repoRoot, "lib");
    const inLib = fs
      .readdirSync(lib, { recursive: true, encoding: "utf8" })
      .filter((file) => /\.tsx?$/.test(file) && !file.startsWith("tenancy") && /withoutRowLevelSecurity/.test(fs.readFileSync(path.join(lib, file), "utf8")));
    expect(inLib).toEqual([]);
  });
});

describe("escape hatches", () => {
  // The session user may leave the role (RESET ROLE) or switch organisation (set_config) inside a
  // transaction: nothing but runAsOrg may touch either.
  const HATCH = /\b(reset|set)\s+(local\s+|session\s+)?role\b|row_security|session\s+authorization|threadline\.org_id|threadline_app|set_config\s*\(\s*['"]role/i;

  it("only lib/tenancy/run-as-org.ts sets the role or the organisation of a transaction", () => {
    const offenders: string[] = [];
    const visit = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) visit(full);
        else if (/\.(ts|tsx)$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) && HATCH.test(fs.readFileSync(full, "utf8"))) offenders.push(path.relative(repoRoot, full));
      }
    };
    for (const dir of ["app", "lib", "components", "inngest", "scripts", "db"]) if (fs.existsSync(path.join(repoRoot, dir))) visit(path.join(repoRoot, dir));
    expect(offenders).toEqual(["lib/tenancy/run-as-org.ts"]);
  });
});
