CREATE TABLE `files` (
	`id` varchar(36) NOT NULL,
	`user_id` varchar(256) NOT NULL,
	`media_type` varchar(255) NOT NULL,
	`filename` text,
	`size` int NOT NULL,
	`data` longblob NOT NULL,
	`created_at` bigint NOT NULL,
	CONSTRAINT `files_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `conversations` ADD `head_id` varchar(36);--> statement-breakpoint
ALTER TABLE `conversations` ADD `branched` tinyint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `input_tokens` int DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `conversations` ADD `output_tokens` int DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `parent_id` varchar(36);--> statement-breakpoint
ALTER TABLE `messages` ADD `active` tinyint DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `parts` mediumtext;--> statement-breakpoint
ALTER TABLE `messages` ADD `generation` mediumtext;--> statement-breakpoint
CREATE INDEX `files_user_idx` ON `files` (`user_id`,`id`);--> statement-breakpoint
CREATE INDEX `messages_conversation_active_seq_idx` ON `messages` (`conversation_id`,`active`,`seq`);--> statement-breakpoint
CREATE INDEX `messages_conversation_parent_idx` ON `messages` (`conversation_id`,`parent_id`);--> statement-breakpoint
DROP INDEX `messages_conversation_created_idx` ON `messages`;--> statement-breakpoint
DROP INDEX `messages_conversation_reply_to_idx` ON `messages`;--> statement-breakpoint
-- Existing conversations are one branch: each message's parent is the one stored before it,
-- every message is active, and the head is the last one.
UPDATE `messages` JOIN (SELECT `id`, LAG(`id`) OVER (PARTITION BY `conversation_id` ORDER BY `seq`) AS `parent` FROM `messages`) AS `prev` ON `prev`.`id` = `messages`.`id` SET `messages`.`parent_id` = `prev`.`parent`;--> statement-breakpoint
UPDATE `conversations` JOIN (SELECT `conversation_id`, `id` FROM (SELECT `conversation_id`, `id`, ROW_NUMBER() OVER (PARTITION BY `conversation_id` ORDER BY `seq` DESC) AS `n` FROM `messages`) AS `ranked` WHERE `n` = 1) AS `last` ON `last`.`conversation_id` = `conversations`.`id` SET `conversations`.`head_id` = `last`.`id`;
