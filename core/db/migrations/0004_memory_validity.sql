CREATE TABLE "message_memories" (
	"message_id" uuid NOT NULL,
	"memory_id" uuid NOT NULL,
	"rank" integer NOT NULL,
	CONSTRAINT "message_memories_message_id_memory_id_pk" PRIMARY KEY("message_id","memory_id")
);
--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "valid_from" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "valid_to" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "superseded_by" uuid;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "source_message_id" uuid;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "expires_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "seen_count" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "memories" ADD COLUMN "last_seen_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "message_memories" ADD CONSTRAINT "message_memories_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "message_memories" ADD CONSTRAINT "message_memories_memory_id_memories_id_fk" FOREIGN KEY ("memory_id") REFERENCES "public"."memories"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "message_memories_memory" ON "message_memories" USING btree ("memory_id");--> statement-breakpoint
CREATE INDEX "memories_current" ON "memories" USING btree ("agent_id") WHERE valid_to is null;--> statement-breakpoint
UPDATE "memories" SET "valid_from" = "created_at", "last_seen_at" = "last_accessed_at";