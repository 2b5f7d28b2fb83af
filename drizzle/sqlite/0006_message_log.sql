ALTER TABLE `conversations` ADD `log_from` integer DEFAULT 1 NOT NULL;
--> statement-breakpoint
UPDATE `conversations` SET `log_from` = COALESCE((SELECT MIN(`seq`) FROM `events` WHERE `events`.`conversation_id` = `conversations`.`id`), `last_seq` + 1);
