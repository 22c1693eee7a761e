import { expect, it } from "vitest";
import { safeCallbackPath } from "./safe-callback";

it("keeps same-site paths and refuses everything that could leave the site", () => {
  expect(safeCallbackPath("/acme/settings/members?x=1")).toBe("/acme/settings/members?x=1");
  expect(safeCallbackPath("/invite/abc")).toBe("/invite/abc");
  for (const bad of ["//evil.example", "/\\evil.example", "https://evil.example", "javascript:alert(1)", "", null, undefined, 42]) {
    expect(safeCallbackPath(bad)).toBe("/");
  }
});
