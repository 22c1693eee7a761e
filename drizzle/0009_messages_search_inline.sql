-- The search vector kept in the message's row (compressed there if that helps) instead of in the TOAST
-- table: a third of the vectors are over 2 kB, and each of those cost a TOAST index lookup and chunk
-- reads whenever a search walked past it, checked it, or ranked it (walking 6,600 messages of the
-- largest benchmark organisation for a phrase: 20-24 ms → 11-14 ms). Only bodies, which searches do
-- not read, are moved out. Rows written before this keep their layout until the table is rewritten
-- (VACUUM FULL messages, or pg_repack without the lock).
ALTER TABLE "messages" ALTER COLUMN "search" SET STORAGE MAIN;
