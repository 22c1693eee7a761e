// Exit 0 when node_modules holds exactly what package-lock.json asks for, 1 otherwise.
// scripts/test.sh runs `npm ci` only then: in a tree others are using, wiping node_modules for
// nothing (a lockfile merely touched) would break their running tests.
import fs from "node:fs";

const wanted = readPackages("package-lock.json");
const installed = readPackages("node_modules/.package-lock.json");
if (!wanted || !installed) process.exit(1);

for (const [location, entry] of Object.entries(wanted)) {
  if (location === "" || entry.link) continue;
  const have = installed[location];
  // Platform-specific optional packages (e.g. another OS's esbuild binary) are rightly absent.
  if (!have && entry.optional) continue;
  if (!have || have.version !== entry.version) {
    console.log(`${location}: want ${entry.version}, have ${have?.version ?? "nothing"}`);
    process.exit(1);
  }
}
process.exit(0);

function readPackages(file) {
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")).packages ?? null;
  } catch {
    return null;
  }
}
