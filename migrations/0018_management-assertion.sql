CREATE TABLE `management_assertions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`signer_name` text NOT NULL,
	`signer_title` text NOT NULL,
	`signed_on` text NOT NULL,
	`sha256` text NOT NULL,
	`original_name` text NOT NULL,
	`size` integer NOT NULL,
	`file_type` text NOT NULL,
	`recorded_by` integer NOT NULL,
	`recorded_at` text NOT NULL,
	`superseded_at` text,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`recorded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `management_assertions_engagement_idx` ON `management_assertions` (`engagement_id`);--> statement-breakpoint
CREATE INDEX `management_assertions_sha_idx` ON `management_assertions` (`sha256`);