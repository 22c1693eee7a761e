DROP INDEX "messages_references_idx";--> statement-breakpoint
CREATE INDEX "messages_references_idx" ON "messages" USING gin ("references") WITH (fastupdate=false);