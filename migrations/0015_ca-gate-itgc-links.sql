CREATE TABLE `control_itgc_links` (
	`control_id` integer NOT NULL,
	`itgc_id` integer NOT NULL,
	PRIMARY KEY(`control_id`, `itgc_id`),
	FOREIGN KEY (`control_id`) REFERENCES `controls`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`itgc_id`) REFERENCES `controls`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "control_itgc_links_not_self" CHECK("control_itgc_links"."control_id" <> "control_itgc_links"."itgc_id")
);
--> statement-breakpoint
CREATE INDEX `control_itgc_links_itgc_idx` ON `control_itgc_links` (`itgc_id`);--> statement-breakpoint
ALTER TABLE `population_ca` ADD `tie_out_explanation` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `population_ca` ADD `not_needed_reason` text;--> statement-breakpoint
ALTER TABLE `population_ca` ADD `not_needed_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `population_ca` ADD `not_needed_at` text;