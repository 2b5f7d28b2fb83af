CREATE TABLE "assistants" (
	"id" varchar(64) PRIMARY KEY NOT NULL,
	"spec" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "quotas" (
	"user_id" varchar(256) PRIMARY KEY NOT NULL,
	"limits" text NOT NULL,
	"updated_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "usage" (
	"user_id" varchar(256) NOT NULL,
	"day" varchar(10) NOT NULL,
	"assistant_id" varchar(64) NOT NULL,
	"model" varchar(200) NOT NULL,
	"input_tokens" bigint DEFAULT 0 NOT NULL,
	"output_tokens" bigint DEFAULT 0 NOT NULL,
	"replies" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "usage_user_id_day_assistant_id_model_pk" PRIMARY KEY("user_id","day","assistant_id","model")
);
--> statement-breakpoint
ALTER TABLE "conversations" ADD COLUMN "assistant_id" text;--> statement-breakpoint
CREATE INDEX "usage_day_idx" ON "usage" USING btree ("day");