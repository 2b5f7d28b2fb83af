ALTER TABLE "conversations" ADD COLUMN "chat_id" varchar(128);--> statement-breakpoint
CREATE UNIQUE INDEX "conversations_user_chat_idx" ON "conversations" USING btree ("user_id","chat_id");