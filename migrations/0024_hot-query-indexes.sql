CREATE INDEX `audit_entries_engagement_order_idx` ON `audit_entries` (`engagement_id`,`id`);--> statement-breakpoint
CREATE INDEX `evidence_files_engagement_idx` ON `evidence_files` (`engagement_id`);--> statement-breakpoint
CREATE INDEX `exception_anomalies_engagement_idx` ON `exception_anomalies` (`engagement_id`);--> statement-breakpoint
CREATE INDEX `exceptions_workpaper_idx` ON `exceptions` (`workpaper_id`);--> statement-breakpoint
CREATE INDEX `tested_items_workpaper_idx` ON `tested_items` (`workpaper_id`);--> statement-breakpoint
CREATE INDEX `review_note_messages_note_idx` ON `review_note_messages` (`note_id`);--> statement-breakpoint
CREATE INDEX `signoffs_engagement_idx` ON `signoffs` (`engagement_id`);