ALTER TABLE `conversations` ADD `chat_id` varchar(128);--> statement-breakpoint
ALTER TABLE `conversations` ADD CONSTRAINT `conversations_user_chat_idx` UNIQUE(`user_id`,`chat_id`);