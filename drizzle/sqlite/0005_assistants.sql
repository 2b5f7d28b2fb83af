CREATE TABLE `assistants` (
	`id` text PRIMARY KEY NOT NULL,
	`spec` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `quotas` (
	`user_id` text PRIMARY KEY NOT NULL,
	`limits` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `usage` (
	`user_id` text NOT NULL,
	`day` text NOT NULL,
	`assistant_id` text NOT NULL,
	`model` text NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	`replies` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`user_id`, `day`, `assistant_id`, `model`)
);
--> statement-breakpoint
CREATE INDEX `usage_day_idx` ON `usage` (`day`);--> statement-breakpoint
ALTER TABLE `conversations` ADD `assistant_id` text;