-- Full text within one organisation: with org_id in the GIN index (btree_gin gives uuid a GIN operator
-- class), a word's matches come back for that organisation only. Before, the index answered with every
-- organisation's matches (a mid-frequency word: 107,000 for a 5,000-message organisation's 500), which
-- were then filtered row by row. btree_gin is a trusted extension: the database owner may create it.
CREATE EXTENSION IF NOT EXISTS btree_gin;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "messages_org_search_idx" ON "messages" USING gin ("org_id","search");--> statement-breakpoint
DROP INDEX IF EXISTS "messages_search_idx";
