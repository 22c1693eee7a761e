import { expect } from "vitest";
import type { ActionCase, RouteCase } from "./cross-tenant.test";
import type { World } from "./support";

/*
 * Cross-tenant cases for the mail screens' routes and actions (conversation view, contact settings),
 * aimed at the message, attachment, inline part and blocklist entry seeded in B (seed-mail.ts).
 * Visibility inside one organisation is tested in tests/screens.
 */

const MESSAGES = "api/orgs/[slug]/messages/[id]";
const message = (w: World) => w.b.mail.message;

export const MESSAGE_ROUTES: Record<string, RouteCase> = {
  [`${MESSAGES}/body/route.ts`]: {
    methods: {
      GET: {
        params: (w) => ({ id: message(w).id }),
        control: (w) => ({
          user: w.b.member,
          expect: (body, response) => {
            expect(body).toContain(`<p>Hello from B ${w.b.slug.slice(2)}</p>`);
            expect(response.headers.get("content-security-policy")).toContain("default-src 'none'");
          },
        }),
      },
    },
  },
  [`${MESSAGES}/headers/route.ts`]: {
    methods: {
      GET: {
        params: (w) => ({ id: message(w).id }),
        control: (w) => ({
          user: w.b.admin,
          expect: (body) => expect((body as { fields: { name: string; value: string }[] }).fields).toContainEqual({ name: "Subject", value: `Secret plans of ${w.b.slug.slice(2)}` }),
        }),
      },
    },
  },
  [`${MESSAGES}/raw/route.ts`]: {
    methods: {
      GET: {
        params: (w) => ({ id: message(w).id }),
        control: (w) => ({ user: w.b.member, expect: (body) => expect(body).toContain(`Hello from B ${w.b.slug.slice(2)}`) }),
      },
    },
  },
  [`${MESSAGES}/attachments/[attachmentId]/route.ts`]: {
    methods: {
      GET: {
        params: (w) => ({ id: message(w).id, attachmentId: message(w).attachmentId }),
        control: (w) => ({ user: w.b.owner, expect: (body) => expect(body).toBe(`plans of ${w.b.slug.slice(2)}`) }),
      },
    },
  },
  [`${MESSAGES}/cid/[cid]/route.ts`]: {
    methods: {
      GET: {
        params: (w) => ({ id: message(w).id, cid: message(w).cid }),
        control: (w) => ({ user: w.b.member, expect: (body) => expect(body).toBe(`PNG-${w.b.slug.slice(2)}`) }),
      },
    },
  },
};

const THREADS = "(dashboard)/[slug]/threads/actions.ts";
const CONTACT_SETTINGS = "(dashboard)/[slug]/settings/contacts/actions.ts";

export const MAIL_ACTIONS: Record<string, ActionCase> = {
  [`${THREADS}#setSenderImagesAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, messageId: w.b.mail.message.id, allow: true }),
    control: (w) => w.b.member,
  },
  [`${CONTACT_SETTINGS}#setContactPolicyAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, policy: "replied" }),
    control: (w) => w.b.admin,
    ownOrgOnly: "Names no object: sets the contact policy of the organisation in the slug.",
  },
  [`${CONTACT_SETTINGS}#addBlockedSenderAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, pattern: `newsletter-${w.b.slug}.example` }),
    control: (w) => w.b.admin,
    ownOrgOnly: "Names no object: adds to the blocklist of the organisation in the slug.",
  },
  [`${CONTACT_SETTINGS}#removeBlockedSenderAction`]: {
    kind: "org",
    input: (w) => ({ slug: w.b.slug, id: w.b.mail.blocked.id }),
    control: (w) => w.b.admin,
  },
};
