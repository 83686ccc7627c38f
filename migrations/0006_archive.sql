CREATE TABLE `imported_audit_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`archive_sha256` text NOT NULL,
	`original_id` integer NOT NULL,
	`at` text NOT NULL,
	`original_user_id` integer,
	`user_email` text,
	`original_engagement_id` integer,
	`entity` text NOT NULL,
	`entity_id` text NOT NULL,
	`action` text NOT NULL,
	`changes` text NOT NULL,
	`prev_hash` text NOT NULL,
	`hash` text NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `imported_audit_entries_engagement_idx` ON `imported_audit_entries` (`engagement_id`,`original_id`);--> statement-breakpoint
ALTER TABLE `engagements` ADD `archived_at` text;--> statement-breakpoint
ALTER TABLE `engagements` ADD `archived_by` integer REFERENCES users(id);