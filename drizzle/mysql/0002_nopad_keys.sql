-- Custom SQL migration file, put your code below! --
-- utf8mb4_bin is a PAD SPACE collation: 'k ' = 'k', so a client id, user id or any other key
-- with a trailing space matched another one. Every table (and the database default, for tables
-- made later) moves to a NO PAD binary collation: utf8mb4_nopad_bin on MariaDB (10.2+),
-- utf8mb4_0900_bin on MySQL 8. drizzle-kit cannot express collations, hence this custom file.
-- A server with neither stops here with a message saying so.
SET @parley_nopad = (SELECT COLLATION_NAME FROM information_schema.COLLATIONS WHERE COLLATION_NAME IN ('utf8mb4_nopad_bin', 'utf8mb4_0900_bin') ORDER BY COLLATION_NAME DESC LIMIT 1);
--> statement-breakpoint
SET @parley_alter = IFNULL(CONCAT('ALTER DATABASE CHARACTER SET utf8mb4 COLLATE ', @parley_nopad), 'SIGNAL SQLSTATE ''45000'' SET MESSAGE_TEXT = ''Parley needs MariaDB 10.2+ (utf8mb4_nopad_bin) or MySQL 8.0+ (utf8mb4_0900_bin): this server has no NO PAD binary collation, so keys with trailing spaces would compare equal''');
--> statement-breakpoint
PREPARE parley_stmt FROM @parley_alter;
--> statement-breakpoint
EXECUTE parley_stmt;
--> statement-breakpoint
-- MariaDB refuses to change the collation of a column a foreign key uses, even with
-- foreign_key_checks off: the two keys are dropped and made again around the conversion.
ALTER TABLE `events` DROP FOREIGN KEY `events_conversation_id_conversations_id_fk`;
--> statement-breakpoint
ALTER TABLE `messages` DROP FOREIGN KEY `messages_conversation_id_conversations_id_fk`;
--> statement-breakpoint
SET @parley_alter = CONCAT('ALTER TABLE `conversations` CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @parley_nopad);
--> statement-breakpoint
PREPARE parley_stmt FROM @parley_alter;
--> statement-breakpoint
EXECUTE parley_stmt;
--> statement-breakpoint
SET @parley_alter = CONCAT('ALTER TABLE `messages` CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @parley_nopad);
--> statement-breakpoint
PREPARE parley_stmt FROM @parley_alter;
--> statement-breakpoint
EXECUTE parley_stmt;
--> statement-breakpoint
SET @parley_alter = CONCAT('ALTER TABLE `events` CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @parley_nopad);
--> statement-breakpoint
PREPARE parley_stmt FROM @parley_alter;
--> statement-breakpoint
EXECUTE parley_stmt;
--> statement-breakpoint
SET @parley_alter = CONCAT('ALTER TABLE `reply_leases` CONVERT TO CHARACTER SET utf8mb4 COLLATE ', @parley_nopad);
--> statement-breakpoint
PREPARE parley_stmt FROM @parley_alter;
--> statement-breakpoint
EXECUTE parley_stmt;
--> statement-breakpoint
DEALLOCATE PREPARE parley_stmt;
--> statement-breakpoint
ALTER TABLE `events` ADD CONSTRAINT `events_conversation_id_conversations_id_fk` FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON DELETE cascade ON UPDATE no action;
--> statement-breakpoint
ALTER TABLE `messages` ADD CONSTRAINT `messages_conversation_id_conversations_id_fk` FOREIGN KEY (`conversation_id`) REFERENCES `conversations`(`id`) ON DELETE cascade ON UPDATE no action;
