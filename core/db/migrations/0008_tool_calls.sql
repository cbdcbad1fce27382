ALTER TABLE "messages" ADD COLUMN "tool_calls" jsonb;
--> statement-breakpoint
ALTER TABLE "meeting_turns" ADD COLUMN "tool_calls" jsonb;
--> statement-breakpoint
ALTER TABLE "api_keys" ADD COLUMN "tools" jsonb;
