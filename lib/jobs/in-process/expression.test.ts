import { describe, expect, test } from "vitest";
import { compileExpression, evaluateKey } from "./expression";

describe("expressions", () => {
  const event = { name: "x", data: { accountId: "a-1", provider: "gmail", n: 3, nested: { ok: true } } };

  test("keys read paths and concatenate", () => {
    expect(evaluateKey(compileExpression("event.data.accountId"), { event })).toBe("a-1");
    expect(evaluateKey(compileExpression('event.data.provider + "-" + event.data.accountId'), { event })).toBe("gmail-a-1");
    expect(evaluateKey(compileExpression("event.data.missing"), { event })).toBe("");
  });

  test("conditions as Inngest writes them for onFailure and waitForEvent", () => {
    expect(compileExpression("event.data.provider == 'gmail'")({ event })).toBe(true);
    expect(compileExpression("event.data.provider != 'gmail' || event.data.n >= 3")({ event })).toBe(true);
    expect(compileExpression("event.data.n > 3 && event.data.nested.ok")({ event })).toBe(false);
    expect(compileExpression("!(event.data.n < 3)")({ event })).toBe(true);
    expect(compileExpression("event.data.accountId == async.data.accountId")({ event, async: { data: { accountId: "a-1" } } })).toBe(true);
  });

  test("refuses syntax outside the subset", () => {
    expect(() => compileExpression("event.data.tags.exists(t, t == 'x')")).toThrow(/not supported|unexpected/);
    expect(() => compileExpression("event.data.a ==")).toThrow();
  });
});
