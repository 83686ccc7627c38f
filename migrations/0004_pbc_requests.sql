CREATE TABLE `pbc_request_controls` (
	`request_id` integer NOT NULL,
	`control_id` integer NOT NULL,
	PRIMARY KEY(`request_id`, `control_id`),
	FOREIGN KEY (`request_id`) REFERENCES `pbc_requests`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`control_id`) REFERENCES `controls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `pbc_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`reference` text NOT NULL,
	`description` text NOT NULL,
	`owner_name` text DEFAULT '' NOT NULL,
	`owner_email` text DEFAULT '' NOT NULL,
	`due_date` text,
	`status` text DEFAULT 'open' NOT NULL,
	`population_id` integer,
	`answer` text DEFAULT '' NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`population_id`) REFERENCES `populations`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `pbc_requests_reference_unique` ON `pbc_requests` (`engagement_id`,`reference`);--> statement-breakpoint
CREATE INDEX `pbc_requests_status_idx` ON `pbc_requests` (`engagement_id`,`status`);