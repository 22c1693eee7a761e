CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE TABLE "remote_image_senders" (
	"org_id" uuid NOT NULL,
	"user_id" text NOT NULL,
	"sender" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "remote_image_senders_org_id_user_id_sender_pk" PRIMARY KEY("org_id","user_id","sender")
);
--> statement-breakpoint
ALTER TABLE "remote_image_senders" ADD CONSTRAINT "remote_image_senders_org_id_organizations_id_fk" FOREIGN KEY ("org_id") REFERENCES "public"."organizations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "remote_image_senders" ADD CONSTRAINT "remote_image_senders_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "contacts_search_trgm_idx" ON "contacts" USING gin (lower(coalesce("name", '') || ' ' || "email") gin_trgm_ops);