ALTER TABLE `messages` ADD `reply_to` text;--> statement-breakpoint
CREATE INDEX `messages_conversation_reply_to_idx` ON `messages` (`conversation_id`,`reply_to`);