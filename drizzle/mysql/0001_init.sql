CREATE TABLE `conversations` (
	`id` varchar(36) NOT NULL,
	`user_id` varchar(256) NOT NULL,
	`title` text,
	`metadata` mediumtext NOT NULL,
	`created_at` bigint NOT NULL,
	`updated_at` bigint NOT NULL,
	`message_count` int NOT NULL DEFAULT 0,
	`last_seq` int NOT NULL DEFAULT 0,
	CONSTRAINT `conversations_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `events` (
	`conversation_id` varchar(36) NOT NULL,
	`seq` int NOT NULL,
	`type` varchar(32) NOT NULL,
	`payload` mediumtext NOT NULL,
	`created_at` bigint NOT NULL,
	CONSTRAINT `events_conversation_id_seq_pk` PRIMARY KEY(`conversation_id`,`seq`)
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` varchar(36) NOT NULL,
	`conversation_id` varchar(36) NOT NULL,
	`seq` int NOT NULL,
	`sender` varchar(8) NOT NULL,
	`content` mediumtext NOT NULL,
	`metadata` mediumtext NOT NULL,
	`client_id` varchar(128),
	`reply_to` varchar(36),
	`created_at` bigint NOT NULL,
	`updated_at` bigint NOT NULL,
	CONSTRAINT `messages_id` PRIMARY KEY(`id`),
	CONSTRAINT `messages_conversation_client_idx` UNIQUE(`conversation_id`,`client_id`)
);
--> statement-breakpoint
CREATE TABLE `reply_leases` (
	`conversation_id` varchar(36) NOT NULL,
	`holder` varchar(64) NOT NULL,
	`expires_at` bigint NOT NULL,
	CONSTRAINT `reply_leases_conversation_id` PRIMARY KEY(`conversation_id`)
);
--> statement-breakpoint
ALTER TABLE `events` ADD CONSTRAINT `events_conversation_id_conversations_id_fk` FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `messages` ADD CONSTRAINT `messages_conversation_id_conversations_id_fk` FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `conversations_user_updated_idx` ON `conversations` (`user_id`,`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_updated_idx` ON `conversations` (`updated_at`,`id`);--> statement-breakpoint
CREATE INDEX `messages_conversation_created_idx` ON `messages` (`conversation_id`,`created_at`,`seq`);--> statement-breakpoint
CREATE INDEX `messages_conversation_reply_to_idx` ON `messages` (`conversation_id`,`reply_to`);