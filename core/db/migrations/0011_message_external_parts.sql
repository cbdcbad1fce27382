ALTER TABLE "messages" ADD COLUMN IF NOT EXISTS "external_parts" text[];--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "messages_external_parts" ON "messages" USING gin ("external_parts") WHERE external_parts is not null;
