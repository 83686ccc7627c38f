CREATE TABLE `workpaper_overrides` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`workpaper_id` integer NOT NULL,
	`kind` text NOT NULL,
	`conclusion` text,
	`extend_to` integer,
	`rationale` text NOT NULL,
	`proposed` text,
	`deviations` integer NOT NULL,
	`items_tested` integer NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`requested_by` integer NOT NULL,
	`requested_at` text NOT NULL,
	`decided_by` integer,
	`decided_at` text,
	`decline_reason` text,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workpaper_id`) REFERENCES `workpapers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`requested_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `workpaper_overrides_workpaper_idx` ON `workpaper_overrides` (`workpaper_id`);--> statement-breakpoint
ALTER TABLE `sample_items` ADD `replaces_item_id` integer REFERENCES sample_items(id);--> statement-breakpoint
CREATE UNIQUE INDEX `sample_items_replaces_unique` ON `sample_items` (`replaces_item_id`);