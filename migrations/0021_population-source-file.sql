ALTER TABLE `populations` ADD `source_sha256` text;--> statement-breakpoint
ALTER TABLE `populations` ADD `source_size` integer;