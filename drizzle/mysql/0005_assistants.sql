CREATE TABLE `assistants` (
	`id` varchar(64) NOT NULL,
	`spec` mediumtext NOT NULL,
	`created_at` bigint NOT NULL,
	`updated_at` bigint NOT NULL,
	CONSTRAINT `assistants_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `quotas` (
	`user_id` varchar(256) NOT NULL,
	`limits` mediumtext NOT NULL,
	`updated_at` bigint NOT NULL,
	CONSTRAINT `quotas_user_id` PRIMARY KEY(`user_id`)
);
--> statement-breakpoint
CREATE TABLE `usage` (
	`user_id` varchar(256) NOT NULL,
	`day` varchar(10) NOT NULL,
	`assistant_id` varchar(64) NOT NULL,
	`model` varchar(200) NOT NULL,
	`input_tokens` bigint NOT NULL DEFAULT 0,
	`output_tokens` bigint NOT NULL DEFAULT 0,
	`replies` bigint NOT NULL DEFAULT 0,
	CONSTRAINT `usage_user_id_day_assistant_id_model_pk` PRIMARY KEY(`user_id`,`day`,`assistant_id`,`model`)
);
--> statement-breakpoint
ALTER TABLE `conversations` ADD `assistant_id` text;--> statement-breakpoint
CREATE INDEX `usage_day_idx` ON `usage` (`day`);