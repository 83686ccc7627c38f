CREATE TABLE `control_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`engagement_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`file_name` text NOT NULL,
	`table_json` text NOT NULL,
	`created_at` text NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `control_imports_engagement_idx` ON `control_imports` (`engagement_id`);--> statement-breakpoint
CREATE TABLE `control_mappings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`control_id` integer NOT NULL,
	`criterion_id` text,
	`objective_id` integer,
	FOREIGN KEY (`control_id`) REFERENCES `controls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`objective_id`) REFERENCES `control_objectives`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "control_mappings_one_target" CHECK(("control_mappings"."criterion_id" IS NULL) <> ("control_mappings"."objective_id" IS NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `control_mappings_criterion_unique` ON `control_mappings` (`control_id`,`criterion_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `control_mappings_objective_unique` ON `control_mappings` (`control_id`,`objective_id`);--> statement-breakpoint
CREATE INDEX `control_mappings_objective_idx` ON `control_mappings` (`objective_id`);--> statement-breakpoint
CREATE TABLE `controls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`reference` text NOT NULL,
	`description` text NOT NULL,
	`owner` text DEFAULT '' NOT NULL,
	`frequency` text NOT NULL,
	`nature` text NOT NULL,
	`control_type` text NOT NULL,
	`is_key` integer DEFAULT false NOT NULL,
	`risk` text NOT NULL,
	`implemented_from` text NOT NULL,
	`changed_on` text,
	`description_before_change` text DEFAULT '' NOT NULL,
	`description_after_change` text DEFAULT '' NOT NULL,
	`created_at` text NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `controls_reference_unique` ON `controls` (`engagement_id`,lower("reference"));--> statement-breakpoint
CREATE TABLE `test_attributes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`control_id` integer NOT NULL,
	`letter` text NOT NULL,
	`text` text NOT NULL,
	FOREIGN KEY (`control_id`) REFERENCES `controls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `test_attributes_letter_unique` ON `test_attributes` (`control_id`,`letter`);--> statement-breakpoint
CREATE TABLE `test_procedures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`control_id` integer NOT NULL,
	`position` integer NOT NULL,
	`kind` text NOT NULL,
	`text` text NOT NULL,
	FOREIGN KEY (`control_id`) REFERENCES `controls`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `test_procedures_position_unique` ON `test_procedures` (`control_id`,`position`);--> statement-breakpoint
CREATE TABLE `walkthroughs` (
	`control_id` integer PRIMARY KEY NOT NULL,
	`performed_on` text NOT NULL,
	`performed_by` integer NOT NULL,
	`traced` text NOT NULL,
	`conclusion` text NOT NULL,
	`deficiency` text DEFAULT '' NOT NULL,
	`updated_at` text NOT NULL,
	FOREIGN KEY (`control_id`) REFERENCES `controls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`performed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `complementary_control_mappings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`complementary_control_id` integer NOT NULL,
	`criterion_id` text,
	`objective_id` integer,
	FOREIGN KEY (`complementary_control_id`) REFERENCES `complementary_controls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`objective_id`) REFERENCES `control_objectives`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "complementary_control_mappings_one_target" CHECK(("complementary_control_mappings"."criterion_id" IS NULL) <> ("complementary_control_mappings"."objective_id" IS NULL))
);
--> statement-breakpoint
CREATE INDEX `complementary_control_mappings_control_idx` ON `complementary_control_mappings` (`complementary_control_id`);--> statement-breakpoint
CREATE INDEX `complementary_control_mappings_objective_idx` ON `complementary_control_mappings` (`objective_id`);--> statement-breakpoint
CREATE TABLE `complementary_controls` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`kind` text NOT NULL,
	`reference` text NOT NULL,
	`description` text NOT NULL,
	`subservice_org_id` integer,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`subservice_org_id`) REFERENCES `subservice_orgs`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "complementary_controls_csoc_has_org" CHECK(("complementary_controls"."kind" = 'csoc') = ("complementary_controls"."subservice_org_id" IS NOT NULL))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `complementary_controls_reference_unique` ON `complementary_controls` (`engagement_id`,lower("reference"));--> statement-breakpoint
CREATE TABLE `control_objectives` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`reference` text NOT NULL,
	`text` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `control_objectives_reference_unique` ON `control_objectives` (`engagement_id`,lower("reference"));--> statement-breakpoint
CREATE TABLE `tickmarks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`engagement_id` integer NOT NULL,
	`symbol` text NOT NULL,
	`meaning` text NOT NULL,
	`position` integer NOT NULL,
	FOREIGN KEY (`engagement_id`) REFERENCES `engagements`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tickmarks_symbol_unique` ON `tickmarks` (`engagement_id`,`symbol`);