ALTER TABLE `population_ca` ADD `tie_out_explanation` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `population_ca` ADD `not_needed_reason` text;--> statement-breakpoint
ALTER TABLE `population_ca` ADD `not_needed_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `population_ca` ADD `not_needed_at` text;