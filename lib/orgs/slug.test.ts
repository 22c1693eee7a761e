import { describe, expect, test } from "vitest";
import { orgSlugSchema, slugify } from "./slug";

describe("orgSlugSchema", () => {
  test.each([
    ["acme", "acme"],
    ["  Acme-Corp ", "acme-corp"],
    ["a1", "a1"],
    ["x".repeat(48), "x".repeat(48)],
    ["team-42-north", "team-42-north"],
  ])("accepts %j as %j", (input, slug) => {
    expect(orgSlugSchema.parse(input)).toBe(slug);
  });

  test.each([
    ["a", "A slug has at least 2 characters"],
    ["x".repeat(49), "A slug has at most 48 characters"],
    ["-acme", "Use lowercase letters, digits and inner hyphens only"],
    ["acme-", "Use lowercase letters, digits and inner hyphens only"],
    ["ac me", "Use lowercase letters, digits and inner hyphens only"],
    ["acmé", "Use lowercase letters, digits and inner hyphens only"],
    ["acme_corp", "Use lowercase letters, digits and inner hyphens only"],
    ["api", "That slug is reserved"],
    ["Settings", "That slug is reserved"],
    ["_next", "Use lowercase letters, digits and inner hyphens only"],
  ])("refuses %j: %s", (input, message) => {
    const result = orgSlugSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message)).toContain(message);
  });
});

describe("slugify", () => {
  test.each([
    ["Ada Lovelace", "ada-lovelace"],
    ["  Müller & Söhne GmbH ", "muller-sohne-gmbh"],
    ["ACME, Inc.", "acme-inc"],
    ["Q", "org-q"],
    ["!!!", "org"],
    ["北京", "org"],
  ])("%j → %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  test("never exceeds 40 characters and never ends with a hyphen", () => {
    const slug = slugify("The Quite Extraordinarily Long Name of a Small Company Ltd");
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(slug).not.toMatch(/-$/);
  });
});
