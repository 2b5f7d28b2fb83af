CREATE TABLE "files" (
	"id" varchar(36) PRIMARY KEY NOT NULL,
	"user_id" varchar(256) NOT NULL,
	"media_type" varchar(255) NOT NULL,
	"filename" text,
	"size" integer NOT NULL,
	"data" "bytea" NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
DROP INDEX "messages_conversation_created_idx";--> statement-breakpoint
DROP INDEX "messages_conversation_reply_to_idx";--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "head_id" varchar(36);--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "branched" smallint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "input_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "output_tokens" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "parent_id" varchar(36);--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "active" smallint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "parts" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "generation" text;--> statement-breakpoint
CREATE INDEX "files_user_idx" ON "files" USING btree ("user_id","id");--> statement-breakpoint
CREATE INDEX "messages_conversation_active_seq_idx" ON "messages" USING btree ("conversation_id","active","seq");--> statement-breakpoint
CREATE INDEX "messages_conversation_parent_idx" ON "messages" USING btree ("conversation_id","parent_id");--> statement-breakpoint
-- Existing conversations are one branch: each message's parent is the one stored before it,
-- every message is active, and the head is the last one.
UPDATE "messages" SET "parent_id" = "prev"."parent" FROM (SELECT "id", LAG("id") OVER (PARTITION BY "conversation_id" ORDER BY "seq") AS "parent" FROM "messages") AS "prev" WHERE "messages"."id" = "prev"."id";--> statement-breakpoint
UPDATE "conversations" SET "head_id" = (SELECT "id" FROM "messages" WHERE "messages"."conversation_id" = "conversations"."id" ORDER BY "seq" DESC LIMIT 1);
