DROP INDEX "message_participants_org_email_idx";--> statement-breakpoint
CREATE INDEX "message_participants_org_email_idx" ON "message_participants" USING btree ("org_id","email","role","message_id");