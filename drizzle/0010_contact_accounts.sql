CREATE TABLE "contact_accounts" (
	"contact_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"org_id" uuid NOT NULL,
	"message_count" integer DEFAULT 0 NOT NULL,
	"first_at" timestamp with time zone,
	"last_at" timestamp with time zone,
	CONSTRAINT "contact_accounts_contact_id_account_id_pk" PRIMARY KEY("contact_id","account_id")
);
--> statement-breakpoint
ALTER TABLE "contact_accounts" ADD CONSTRAINT "contact_accounts_contact_id_contacts_id_fk" FOREIGN KEY ("contact_id") REFERENCES "public"."contacts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_accounts" ADD CONSTRAINT "contact_accounts_account_id_mail_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."mail_accounts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "contact_accounts" ADD CONSTRAINT "contact_accounts_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contact_accounts_org_idx" ON "contact_accounts" USING btree ("org_id","account_id");--> statement-breakpoint
-- Tenant isolation as for every organisation table (0005_row_level_security.sql).
ALTER TABLE "contact_accounts" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY "tenant_isolation" ON "contact_accounts" AS PERMISSIVE FOR ALL TO threadline_app USING ("org_id" = threadline_current_org()) WITH CHECK ("org_id" = threadline_current_org());
--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "contact_accounts" TO threadline_app;
--> statement-breakpoint
-- The figures of the mail already stored (participants carry their message's account and date).
INSERT INTO "contact_accounts" ("contact_id", "account_id", "org_id", "message_count", "first_at", "last_at")
SELECT mp."contact_id", mp."account_id", mp."org_id", count(DISTINCT mp."message_id")::int, min(mp."message_at"), max(mp."message_at")
FROM "message_participants" mp
WHERE mp."contact_id" IS NOT NULL AND mp."account_id" IS NOT NULL
GROUP BY mp."contact_id", mp."account_id", mp."org_id";
