ALTER TABLE `controls` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `controls` ADD `plan_version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `walkthroughs` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `engagements` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `population_ca` ADD `version` integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE `pbc_requests` ADD `version` integer DEFAULT 1 NOT NULL;