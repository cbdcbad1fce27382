DROP INDEX IF EXISTS "memories_search";--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "memories_search_current" ON "memories" USING gin ("search") WITH (fastupdate = off) WHERE valid_to is null;
