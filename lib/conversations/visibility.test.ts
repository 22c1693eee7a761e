import { expect, it } from "vitest";
import { accountAccess, canSeeBody, canSeeConversation, canSeeSubject } from "./visibility";

it("the owner sees everything; others see what the account's visibility grants", () => {
  const owner = { userId: "u1" };
  const other = { userId: "u2" };
  const table = {
    private: ["none", false, false, false],
    metadata: ["metadata", true, false, false],
    subject: ["subject", true, true, false],
    shared: ["full", true, true, true],
  } as const;
  for (const [visibility, [access, conversation, subject, body]] of Object.entries(table)) {
    const account = { userId: "u1", visibility: visibility as keyof typeof table };
    expect(accountAccess(owner, account)).toBe("full");
    const seen = accountAccess(other, account);
    expect(seen).toBe(access);
    expect([canSeeConversation(seen), canSeeSubject(seen), canSeeBody(seen)]).toEqual([conversation, subject, body]);
    // An account whose owner left has no owner: everyone gets the visibility's level.
    expect(accountAccess(owner, { userId: null, visibility: account.visibility })).toBe(access);
  }
});
