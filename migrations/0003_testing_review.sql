CREATE TABLE `evidence_files` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`workpaper_id` integer NOT NULL,
	`sample_item_id` integer,
	`sha256` text NOT NULL,
	`original_name` text NOT NULL,
	`size` integer NOT NULL,
	`file_type` text NOT NULL,
	`uploaded_by` integer NOT NULL,
	`uploaded_at` text NOT NULL,
	`superseded_by_id` integer,
	`superseded_at` text,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workpaper_id`) REFERENCES `workpapers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sample_item_id`) REFERENCES `sample_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`uploaded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `evidence_files_workpaper_idx` ON `evidence_files` (`workpaper_id`);--> statement-breakpoint
CREATE INDEX `evidence_files_sha_idx` ON `evidence_files` (`sha256`);--> statement-breakpoint
CREATE TABLE `exceptions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`workpaper_id` integer NOT NULL,
	`sample_item_id` integer NOT NULL,
	`attribute` text NOT NULL,
	`description` text NOT NULL,
	`cause` text DEFAULT '' NOT NULL,
	`nature` text,
	`management_response` text DEFAULT '' NOT NULL,
	`compensating_control_id` integer,
	`status` text DEFAULT 'open' NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` text NOT NULL,
	`updated_by` integer NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workpaper_id`) REFERENCES `workpapers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sample_item_id`) REFERENCES `sample_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`compensating_control_id`) REFERENCES `controls`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `exceptions_cell_unique` ON `exceptions` (`sample_item_id`,`attribute`);--> statement-breakpoint
CREATE INDEX `exceptions_engagement_idx` ON `exceptions` (`engagement_id`,`status`);--> statement-breakpoint
CREATE TABLE `test_results` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workpaper_id` integer NOT NULL,
	`sample_item_id` integer NOT NULL,
	`attribute` text NOT NULL,
	`result` text,
	`na_reason` text DEFAULT '' NOT NULL,
	`version` integer NOT NULL,
	`updated_by` integer NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`workpaper_id`) REFERENCES `workpapers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sample_item_id`) REFERENCES `sample_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "test_results_na_reason" CHECK("test_results"."result" IS NOT 'na' OR length(trim("test_results"."na_reason")) > 0)
);
--> statement-breakpoint
CREATE UNIQUE INDEX `test_results_cell_unique` ON `test_results` (`sample_item_id`,`attribute`);--> statement-breakpoint
CREATE INDEX `test_results_workpaper_idx` ON `test_results` (`workpaper_id`);--> statement-breakpoint
CREATE TABLE `tested_items` (
	`sample_item_id` integer PRIMARY KEY NOT NULL,
	`workpaper_id` integer NOT NULL,
	`evidence_ref` text DEFAULT '' NOT NULL,
	`tickmarks` text DEFAULT '[]' NOT NULL,
	`notes` text DEFAULT '' NOT NULL,
	`updated_by` integer,
	`updated_at` text,
	`version` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`sample_item_id`) REFERENCES `sample_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workpaper_id`) REFERENCES `workpapers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `workpapers` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`control_id` integer NOT NULL,
	`population_id` integer NOT NULL,
	`sample_id` integer,
	`item_noun` text,
	`conclusion` text,
	`conclusion_reason` text DEFAULT '' NOT NULL,
	`conclusion_proposed` text,
	`conclusion_by` integer,
	`conclusion_at` text,
	`result_text` text,
	`result_edited` integer DEFAULT false NOT NULL,
	`prepared_by` integer,
	`prepared_at` text,
	`changed_by` integer,
	`changed_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`control_id`) REFERENCES `controls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`population_id`) REFERENCES `populations`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sample_id`) REFERENCES `samples`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`conclusion_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`prepared_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`changed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workpapers_population_unique` ON `workpapers` (`population_id`);--> statement-breakpoint
CREATE INDEX `workpapers_control_idx` ON `workpapers` (`control_id`);--> statement-breakpoint
CREATE TABLE `opinion_decisions` (
	`engagement_id` integer PRIMARY KEY NOT NULL,
	`pervasive_failure` integer DEFAULT false NOT NULL,
	`pervasive_limitation` integer DEFAULT false NOT NULL,
	`pervasiveness_reasons` text DEFAULT '' NOT NULL,
	`approved_type` text,
	`proposed_type` text,
	`type_change_reason` text DEFAULT '' NOT NULL,
	`approved_by` integer,
	`approved_at` text,
	`quality_review_by` integer,
	`quality_review_at` text,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`approved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`quality_review_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `review_note_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`note_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`note_id`) REFERENCES `review_notes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `review_notes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`workpaper_id` integer NOT NULL,
	`sample_item_id` integer,
	`attribute` text,
	`author_id` integer NOT NULL,
	`author_role` text NOT NULL,
	`status` text DEFAULT 'open' NOT NULL,
	`created_at` text NOT NULL,
	`cleared_by` integer,
	`cleared_at` text,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workpaper_id`) REFERENCES `workpapers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`sample_item_id`) REFERENCES `sample_items`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`cleared_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `review_notes_engagement_idx` ON `review_notes` (`engagement_id`,`status`);--> statement-breakpoint
CREATE INDEX `review_notes_workpaper_idx` ON `review_notes` (`workpaper_id`);--> statement-breakpoint
CREATE TABLE `scope_limitations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`criterion_ref` text NOT NULL,
	`description` text NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `signoffs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`workpaper_id` integer NOT NULL,
	`level` text NOT NULL,
	`user_id` integer NOT NULL,
	`signed_at` text NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`workpaper_id`) REFERENCES `workpapers`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `signoffs_workpaper_idx` ON `signoffs` (`workpaper_id`);--> statement-breakpoint
ALTER TABLE `engagements` ADD `second_review_required` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `engagements` ADD `locked_at` text;--> statement-breakpoint
ALTER TABLE `engagements` ADD `locked_by` integer;