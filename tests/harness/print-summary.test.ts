import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, expect, test } from "vitest";

// scripts/test.sh ends with this line; CI reads nothing else, so it must never read green by mistake.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "threadline-summary-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function summarise(report: object | null, vitestExit: number) {
  const file = path.join(dir, `${Math.random()}.json`);
  if (report) fs.writeFileSync(file, JSON.stringify(report));
  try {
    const stdout = execFileSync("node", ["tests/support/print-summary.mjs", file, String(vitestExit)], { encoding: "utf8" });
    return { code: 0, lines: stdout.trim().split("\n") };
  } catch (error) {
    const failure = error as { status: number; stdout: string };
    return { code: failure.status, lines: failure.stdout.trim().split("\n") };
  }
}

const file = (status: string, tests: string[], message = "") => ({ name: `/repo/${status}.test.ts`, status, message, assertionResults: tests.map((s) => ({ status: s })) });

test("counts passed, failed, skipped and todo tests", () => {
  const result = summarise({ numPassedTests: 7, numFailedTests: 2, numPendingTests: 3, numTodoTests: 1, testResults: [file("failed", ["passed", "failed", "failed"])] }, 1);
  expect(result).toEqual({ code: 1, lines: ["tests: 7 passed, 2 failed, 4 skipped"] });
});

test("all green exits 0", () => {
  expect(summarise({ numPassedTests: 3, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, testResults: [file("passed", ["passed"])] }, 0)).toEqual({
    code: 0,
    lines: ["tests: 3 passed, 0 failed, 0 skipped"],
  });
});

test("a file that failed to load counts as a failure and is named", () => {
  const result = summarise({ numPassedTests: 3, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, testResults: [file("failed", [], "SyntaxError: boom")] }, 1);
  expect(result.code).toBe(1);
  expect(result.lines).toEqual(["failed to run: /repo/failed.test.ts", "  SyntaxError: boom", "tests: 3 passed, 1 failed, 0 skipped"]);
});

test("errors outside tests (vitest exit code) are a failure", () => {
  const result = summarise({ numPassedTests: 3, numFailedTests: 0, numPendingTests: 0, numTodoTests: 0, testResults: [] }, 1);
  expect(result.code).toBe(1);
  expect(result.lines.at(-1)).toBe("tests: 3 passed, 1 failed, 0 skipped");
});

test("no report at all is a failure", () => {
  const result = summarise(null, 1);
  expect(result.code).toBe(1);
  expect(result.lines.at(-1)).toBe("tests: 0 passed, 1 failed, 0 skipped");
});
