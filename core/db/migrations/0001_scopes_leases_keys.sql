CREATE TABLE "api_keys" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"prefix" text NOT NULL,
	"hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "audit" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"target" text,
	"rows" integer DEFAULT 0 NOT NULL,
	"detail" jsonb
);
--> statement-breakpoint
CREATE TABLE "meeting_inbox" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"speaker_id" text NOT NULL,
	"speaker_name" text NOT NULL,
	"text" text NOT NULL,
	"external_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"turn_seq" integer
);
--> statement-breakpoint
CREATE TABLE "meeting_topics" (
	"meeting_id" uuid NOT NULL,
	"topic_index" integer NOT NULL,
	"closed_by" text NOT NULL,
	"reason" text,
	"closed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "meeting_topics_meeting_id_topic_index_pk" PRIMARY KEY("meeting_id","topic_index")
);
--> statement-breakpoint
ALTER TABLE "meeting_turns" ALTER COLUMN "agent_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "action_items" ADD COLUMN "owner_kind" text DEFAULT 'agent' NOT NULL;--> statement-breakpoint
ALTER TABLE "action_items" ADD COLUMN "owner_name" text;--> statement-breakpoint
ALTER TABLE "action_items" ADD COLUMN "source_turns" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "action_items" ADD COLUMN "done_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "action_items" ADD COLUMN "done_by" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "owner_id" text;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "guild_id" text;--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "source_turns" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "runner" text;--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "scheduled_for" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "job_runs" ADD COLUMN "heartbeat_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meeting_turns" ADD COLUMN "speaker_id" text;--> statement-breakpoint
ALTER TABLE "meeting_turns" ADD COLUMN "speaker_name" text;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "owner_id" text;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "guild_id" text;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "lease_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "control" text;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "attempts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "meetings" ADD COLUMN "next_attempt_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "owner_id" text;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "guild_id" text;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "place_id" text;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "visibility" text DEFAULT 'owner' NOT NULL;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "source" text;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "content_hash" text;--> statement-breakpoint
ALTER TABLE "meeting_inbox" ADD CONSTRAINT "meeting_inbox_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_topics" ADD CONSTRAINT "meeting_topics_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_active_name" ON "api_keys" USING btree ("name") WHERE revoked_at is null;--> statement-breakpoint
CREATE INDEX "audit_at" ON "audit" USING btree ("at");--> statement-breakpoint
CREATE INDEX "meeting_inbox_pending" ON "meeting_inbox" USING btree ("meeting_id","created_at");--> statement-breakpoint
CREATE INDEX "meeting_inbox_speaker" ON "meeting_inbox" USING btree ("speaker_id");--> statement-breakpoint
CREATE INDEX "conversations_owner" ON "conversations" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "conversations_guild" ON "conversations" USING btree ("guild_id");--> statement-breakpoint
CREATE UNIQUE INDEX "job_runs_slot" ON "job_runs" USING btree ("name","scheduled_for");--> statement-breakpoint
CREATE INDEX "meeting_turns_speaker" ON "meeting_turns" USING btree ("speaker_id");--> statement-breakpoint
CREATE INDEX "meetings_owner" ON "meetings" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "meetings_guild" ON "meetings" USING btree ("guild_id");--> statement-breakpoint
CREATE INDEX "meetings_thread" ON "meetings" USING btree ("discord_thread_id");--> statement-breakpoint
CREATE INDEX "memories_owner" ON "memories" USING btree ("owner_id");--> statement-breakpoint
CREATE INDEX "memories_guild" ON "memories" USING btree ("guild_id");--> statement-breakpoint
UPDATE "memories" SET "owner_id" = CASE WHEN "user_id" IS NOT NULL THEN 'discord:' || "user_id" ELSE 'legacy' END, "content_hash" = encode(sha256(convert_to("content", 'UTF8')), 'hex');--> statement-breakpoint
DELETE FROM "memories" m USING "memories" d WHERE m."agent_id" = d."agent_id" AND m."owner_id" = d."owner_id" AND m."content_hash" = d."content_hash" AND (m."created_at", m."id") > (d."created_at", d."id");--> statement-breakpoint
UPDATE "conversations" SET "owner_id" = CASE WHEN "user_id" IS NOT NULL THEN 'discord:' || "user_id" ELSE 'legacy' END;--> statement-breakpoint
CREATE UNIQUE INDEX "memories_dedup" ON "memories" USING btree ("agent_id","visibility",coalesce("owner_id", ''),coalesce("guild_id", ''),coalesce("place_id", ''),"content_hash");