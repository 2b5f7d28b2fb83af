CREATE TABLE `files` (
	`id` text PRIMARY KEY NOT NULL,
	`user_id` text NOT NULL,
	`media_type` text NOT NULL,
	`filename` text,
	`size` integer NOT NULL,
	`data` blob NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `files_user_idx` ON `files` (`user_id`,`id`);--> statement-breakpoint
DROP INDEX `messages_conversation_created_idx`;--> statement-breakpoint
DROP INDEX `messages_conversation_reply_to_idx`;--> statement-breakpoint
ALTER TABLE `messages` ADD `parent_id` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `active` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `parts` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `generation` text;--> statement-breakpoint
CREATE INDEX `messages_conversation_active_seq_idx` ON `messages` (`conversation_id`,`active`,`seq`);--> statement-breakpoint
CREATE INDEX `messages_conversation_parent_idx` ON `messages` (`conversation_id`,`parent_id`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `head_id` text;--> statement-breakpoint
ALTER TABLE `conversations` ADD `branched` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `input_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `output_tokens` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Existing conversations are one branch: each message's parent is the one stored before it,
-- every message is active, and the head is the last one.
UPDATE `messages` SET `parent_id` = `prev`.`parent` FROM (SELECT `id`, LAG(`id`) OVER (PARTITION BY `conversation_id` ORDER BY `seq`) AS `parent` FROM `messages`) AS `prev` WHERE `messages`.`id` = `prev`.`id`;--> statement-breakpoint
UPDATE `conversations` SET `head_id` = (SELECT `id` FROM `messages` WHERE `messages`.`conversation_id` = `conversations`.`id` ORDER BY `seq` DESC LIMIT 1);
