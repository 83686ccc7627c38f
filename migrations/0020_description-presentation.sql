CREATE TABLE `description_presentations` (
	`engagement_id` integer PRIMARY KEY NOT NULL,
	`fairly_presented` integer NOT NULL,
	`matters` text DEFAULT '' NOT NULL,
	`concluded_by` integer NOT NULL,
	`concluded_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`concluded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
