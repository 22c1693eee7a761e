-- A contact's figures and timeline read message_participants alone (one index-only scan over the
-- contact's rows) instead of joining each of their messages: each row carries copies of its message's
-- account, thread and date. The database keeps the copies, so no writer (sync, seeds, tools) can forget
-- them: filled on insert, and followed when a message's thread changes (threads merge) or its date does.
-- An insert that brings account_id brings all three (ingest does, sparing a lookup per row: inserting
-- participants took 50% longer with it); any other insert gets them from the message.
ALTER TABLE "message_participants" ADD COLUMN "account_id" uuid;--> statement-breakpoint
ALTER TABLE "message_participants" ADD COLUMN "thread_id" uuid;--> statement-breakpoint
ALTER TABLE "message_participants" ADD COLUMN "message_at" timestamp with time zone;--> statement-breakpoint
CREATE OR REPLACE FUNCTION threadline_participant_copies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.account_id IS NULL THEN
    SELECT m.account_id, m.thread_id, coalesce(m.sent_at, m.received_at)
      INTO NEW.account_id, NEW.thread_id, NEW.message_at
      FROM messages m WHERE m.id = NEW.message_id;
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER message_participants_copies BEFORE INSERT ON message_participants
  FOR EACH ROW EXECUTE FUNCTION threadline_participant_copies();--> statement-breakpoint
CREATE OR REPLACE FUNCTION threadline_message_copies_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE message_participants
    SET account_id = NEW.account_id, thread_id = NEW.thread_id, message_at = coalesce(NEW.sent_at, NEW.received_at)
    WHERE message_id = NEW.id;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER messages_participant_copies AFTER UPDATE OF account_id, thread_id, sent_at, received_at ON messages
  FOR EACH ROW
  WHEN (OLD.account_id IS DISTINCT FROM NEW.account_id OR OLD.thread_id IS DISTINCT FROM NEW.thread_id
    OR OLD.sent_at IS DISTINCT FROM NEW.sent_at OR OLD.received_at IS DISTINCT FROM NEW.received_at)
  EXECUTE FUNCTION threadline_message_copies_changed();--> statement-breakpoint
UPDATE message_participants mp
  SET account_id = m.account_id, thread_id = m.thread_id, message_at = coalesce(m.sent_at, m.received_at)
  FROM messages m WHERE m.id = mp.message_id;--> statement-breakpoint
DROP INDEX "message_participants_contact_idx";--> statement-breakpoint
CREATE INDEX "message_participants_contact_idx" ON "message_participants" USING btree ("contact_id","org_id","message_at","account_id","thread_id","message_id");
