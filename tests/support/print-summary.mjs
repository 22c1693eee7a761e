// Reads vitest's JSON report and prints the one line CI recognises:
//   tests: N passed, N failed, N skipped
// Usage: node tests/support/print-summary.mjs <report.json> <vitest exit code>
// Exit status: 0 only when vitest succeeded and nothing failed.
import fs from "node:fs";

const [reportPath, vitestExit = "1"] = process.argv.slice(2);

let report;
try {
  report = JSON.parse(fs.readFileSync(reportPath, "utf8"));
} catch (error) {
  console.log(`vitest wrote no readable report (${error.message}); exit code ${vitestExit}`);
  console.log("tests: 0 passed, 1 failed, 0 skipped");
  process.exit(1);
}

const passed = report.numPassedTests ?? 0;
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
let failed = report.numFailedTests ?? 0;

// A file that fails to load (syntax error, throwing import, failing beforeAll) reports no failed test
// of its own: count each such file as one failure so the line never reads as green.
const brokenFiles = (report.testResults ?? []).filter(
  (file) => file.status === "failed" && !(file.assertionResults ?? []).some((t) => t.status === "failed"),
);
for (const file of brokenFiles) {
  console.log(`failed to run: ${file.name}${file.message ? `\n  ${firstLines(file.message, 6)}` : ""}`);
}
failed += brokenFiles.length;

// Errors outside any test (unhandled rejections, teardown failures) make vitest exit non-zero.
if (failed === 0 && vitestExit !== "0") {
  console.log(`vitest exited with code ${vitestExit} (errors outside tests: see above)`);
  failed = 1;
}

console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);

function firstLines(text, count) {
  return String(text).split("\n").slice(0, count).join("\n  ");
}
