CREATE TABLE `exception_anomalies` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`workpaper_id` integer NOT NULL,
	`exception_id` integer NOT NULL,
	`reason` text NOT NULL,
	`exception_version` integer NOT NULL,
	`status` text DEFAULT 'proposed' NOT NULL,
	`proposed_by` integer NOT NULL,
	`proposed_at` text NOT NULL,
	`decided_by` integer,
	`decided_at` text,
	`decline_reason` text,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workpaper_id`) REFERENCES `workpapers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`exception_id`) REFERENCES `exceptions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`proposed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `exception_anomalies_workpaper_idx` ON `exception_anomalies` (`workpaper_id`);--> statement-breakpoint
CREATE INDEX `exception_anomalies_exception_idx` ON `exception_anomalies` (`exception_id`);