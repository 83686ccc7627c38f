ALTER TABLE `samples` ADD `proposed_size` integer;--> statement-breakpoint
ALTER TABLE `samples` ADD `approval_grounds` text;