CREATE TABLE `population_ca` (
	`population_id` integer PRIMARY KEY NOT NULL,
	`source_system` text DEFAULT '' NOT NULL,
	`report_used` text DEFAULT '' NOT NULL,
	`extracted_by` text DEFAULT '' NOT NULL,
	`extracted_on` text,
	`client_count` integer,
	`client_total` text,
	`procedures` text DEFAULT '' NOT NULL,
	`completed_by` integer,
	`completed_at` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`population_id`) REFERENCES `populations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`completed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `engagement_holidays` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`date` text NOT NULL,
	`name` text DEFAULT '' NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `engagement_holidays_unique` ON `engagement_holidays` (`engagement_id`,`date`);--> statement-breakpoint
CREATE TABLE `population_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`population_id` integer NOT NULL,
	`row_number` integer NOT NULL,
	`position` integer,
	`key` text NOT NULL,
	`item_date` text,
	`item_end` text,
	`description` text DEFAULT '' NOT NULL,
	`amount` text,
	`partial` integer DEFAULT false NOT NULL,
	`issues` text DEFAULT '' NOT NULL,
	`extra` text,
	FOREIGN KEY (`population_id`) REFERENCES `populations`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `population_items_row_unique` ON `population_items` (`population_id`,`row_number`);--> statement-breakpoint
CREATE UNIQUE INDEX `population_items_position_unique` ON `population_items` (`population_id`,`position`);--> statement-breakpoint
CREATE TABLE `populations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`control_id` integer NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`label` text NOT NULL,
	`window_start` text NOT NULL,
	`window_end` text NOT NULL,
	`source_file` text,
	`upload_path` text,
	`upload_kind` text,
	`mapping` text,
	`columns` text,
	`row_count` integer DEFAULT 0 NOT NULL,
	`sampleable_count` integer DEFAULT 0 NOT NULL,
	`issue_count` integer DEFAULT 0 NOT NULL,
	`amount_total` text DEFAULT '0' NOT NULL,
	`content_hash` text,
	`import_error` text,
	`frozen_at` text,
	`frozen_by` integer,
	`replaced_at` text,
	`replaced_by` integer,
	`replaced_reason` text,
	`created_at` text NOT NULL,
	`created_by` integer NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`control_id`) REFERENCES `controls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`frozen_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`replaced_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `populations_control_idx` ON `populations` (`control_id`,`status`);--> statement-breakpoint
CREATE TABLE `sample_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sample_id` integer NOT NULL,
	`population_item_id` integer NOT NULL,
	`sequence` integer NOT NULL,
	`extension_round` integer DEFAULT 0 NOT NULL,
	`reason` text,
	FOREIGN KEY (`sample_id`) REFERENCES `samples`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`population_item_id`) REFERENCES `population_items`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `sample_items_unique` ON `sample_items` (`sample_id`,`population_item_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `sample_items_sequence` ON `sample_items` (`sample_id`,`sequence`);--> statement-breakpoint
CREATE TABLE `samples` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`control_id` integer NOT NULL,
	`population_id` integer NOT NULL,
	`method` text NOT NULL,
	`seed` text,
	`population_size` integer NOT NULL,
	`population_hash` text NOT NULL,
	`planned_size` integer NOT NULL,
	`sizing` text NOT NULL,
	`confidence_pct` integer NOT NULL,
	`tolerable_rate` text,
	`expected_rate` text,
	`size_rationale` text NOT NULL,
	`override_reason` text,
	`selection_reason` text,
	`design` text,
	`status` text DEFAULT 'active' NOT NULL,
	`discarded_reason` text,
	`created_at` text NOT NULL,
	`created_by` integer NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`control_id`) REFERENCES `controls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`population_id`) REFERENCES `populations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `samples_control_idx` ON `samples` (`control_id`,`status`);