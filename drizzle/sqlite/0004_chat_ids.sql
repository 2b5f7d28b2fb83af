ALTER TABLE `conversations` ADD `chat_id` text;--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_user_chat_idx` ON `conversations` (`user_id`,`chat_id`);