DROP INDEX `conversations_user_chat_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_user_chat_idx` ON `conversations` (`user_id`,`chat_id`) WHERE "conversations"."chat_id" is not null;--> statement-breakpoint
DROP INDEX `messages_conversation_client_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_conversation_client_idx` ON `messages` (`conversation_id`,`client_id`) WHERE "messages"."client_id" is not null;