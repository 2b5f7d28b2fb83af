CREATE TABLE `reply_leases` (
	`conversation_id` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
