ALTER TABLE "meetings" ADD COLUMN "models" jsonb DEFAULT '{}'::jsonb NOT NULL;
