CREATE TABLE `trusted_keys` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`label` text NOT NULL,
	`public_key` text NOT NULL,
	`fingerprint` text NOT NULL,
	`added_by` integer NOT NULL,
	`added_at` text NOT NULL,
	FOREIGN KEY (`added_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trusted_keys_fingerprint_unique` ON `trusted_keys` (`fingerprint`);--> statement-breakpoint
ALTER TABLE `users` ADD `recorded_email` text;--> statement-breakpoint
ALTER TABLE `engagements` ADD `unverified_reason` text;