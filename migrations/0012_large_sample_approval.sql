ALTER TABLE `samples` ADD `approved_by` integer REFERENCES users(id);--> statement-breakpoint
ALTER TABLE `samples` ADD `approved_at` text;