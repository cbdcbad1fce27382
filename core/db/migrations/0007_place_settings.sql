CREATE TABLE "place_settings" (
	"scope" text NOT NULL,
	"place_id" text NOT NULL,
	"guild_id" text,
	"parent_id" text,
	"values" jsonb NOT NULL,
	"updated_by" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "place_settings_scope_place_id_pk" PRIMARY KEY("scope","place_id")
);
--> statement-breakpoint
CREATE INDEX "place_settings_guild" ON "place_settings" USING btree ("guild_id");