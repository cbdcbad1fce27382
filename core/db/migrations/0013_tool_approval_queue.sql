CREATE TABLE IF NOT EXISTS "tool_approval_queue" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"tool" text NOT NULL,
	"arguments" jsonb NOT NULL,
	"agent_id" text NOT NULL,
	"requester" jsonb NOT NULL,
	"requester_id" text NOT NULL,
	"mode" text NOT NULL,
	"timeout_ms" integer NOT NULL,
	"status" text DEFAULT 'waiting' NOT NULL,
	"asked_by" text,
	"claim_by" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tool_approval_queue_waiting" ON "tool_approval_queue" USING btree ("claim_by") WHERE status = 'waiting';
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "tool_approval_queue_requester" ON "tool_approval_queue" USING btree ("requester_id");
