-- Tenant isolation, the second time: the web request path runs its queries as threadline_app
-- (lib/tenancy/run-as-org.ts: SET LOCAL ROLE + threadline.org_id per transaction), and these policies
-- let that role see and write only the organisation set for the transaction. The owner (migrations,
-- sync engine, jobs, CLI, platform admin, sign-in) is not subject to them: RLS is enabled, not forced.
-- A table added later with an org_id column needs the same three lines (tests/tenancy/row-level-security
-- fails until it has them).

-- Roles are cluster-wide and test databases are migrated in parallel: creating it twice is not an error.
-- Where the migrating user may not create roles, a superuser creates it (and grants it to that user) first.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'threadline_app') THEN
    CREATE ROLE threadline_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOINHERIT;
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
  WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'Threadline needs a role "threadline_app" (NOLOGIN NOBYPASSRLS) and % may not create it: as a superuser run CREATE ROLE threadline_app NOLOGIN NOBYPASSRLS; GRANT threadline_app TO %; then start again', current_user, current_user;
END $$;
--> statement-breakpoint
-- The migrating (connecting) user switches to it per transaction with SET LOCAL ROLE.
DO $$
BEGIN
  IF NOT pg_has_role(current_user, 'threadline_app', 'MEMBER') THEN
    EXECUTE format('GRANT threadline_app TO %I', current_user);
  END IF;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL;
  WHEN insufficient_privilege THEN
    RAISE EXCEPTION 'Threadline switches to the role "threadline_app" per request and % is not a member of it: as a superuser run GRANT threadline_app TO %; then start again', current_user, current_user;
END $$;
--> statement-breakpoint
-- The organisation of the current transaction; NULL (nothing visible) when none is set.
CREATE OR REPLACE FUNCTION threadline_current_org() RETURNS uuid
  LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('threadline.org_id', true), '')::uuid $$;
--> statement-breakpoint
GRANT USAGE ON SCHEMA public TO threadline_app;
--> statement-breakpoint
ALTER TABLE "organizations" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "organizations" AS PERMISSIVE FOR ALL TO threadline_app USING ("id" = threadline_current_org()) WITH CHECK ("id" = threadline_current_org());
--> statement-breakpoint
-- Organisations are created and deleted by the system path only (lib/orgs, platform admin).
GRANT SELECT, UPDATE ON "organizations" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "memberships" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "memberships" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "memberships" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "invitations" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "invitations" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "invitations" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "blocked_senders" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "blocked_senders" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "blocked_senders" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "mail_accounts" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "mail_accounts" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "mail_accounts" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "mailboxes" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "mailboxes" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "mailboxes" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "threads" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "threads" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "threads" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "messages" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "messages" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "messages" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "message_locations" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "message_locations" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "message_locations" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "message_raw" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "message_raw" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "message_raw" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "contacts" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "contacts" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "contacts" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "remote_image_senders" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "remote_image_senders" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "remote_image_senders" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "message_participants" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "message_participants" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "message_participants" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "attachments" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "attachments" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "attachments" TO threadline_app;
--> statement-breakpoint
ALTER TABLE "sync_runs" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "sync_runs" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "sync_runs" TO threadline_app;
--> statement-breakpoint
-- Auth.js's users: read-only, and only people the organisation knows (its members, who invited
-- someone to it, who linked a mailbox to it), for names and addresses beside members, invitations
-- and accounts.
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "organisation_people" ON "users" AS PERMISSIVE FOR SELECT TO threadline_app USING (
  EXISTS (SELECT 1 FROM "memberships" m WHERE m."user_id" = "users"."id" AND m."org_id" = threadline_current_org())
  OR EXISTS (SELECT 1 FROM "invitations" i WHERE i."invited_by" = "users"."id" AND i."org_id" = threadline_current_org())
  OR EXISTS (SELECT 1 FROM "mail_accounts" a WHERE a."user_id" = "users"."id" AND a."org_id" = threadline_current_org())
);
--> statement-breakpoint
GRANT SELECT ON "users" TO threadline_app;
--> statement-breakpoint
-- Sign-in data (OAuth tokens, sessions, magic links) is the system path's alone: no grant, no policy.
ALTER TABLE "accounts" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "sessions" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "verificationTokens" ENABLE ROW LEVEL SECURITY;
