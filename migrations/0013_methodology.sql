CREATE TABLE `firm_methodology` (
	`id` integer PRIMARY KEY NOT NULL,
	`settings` text NOT NULL,
	`saved_by` integer NOT NULL,
	`saved_at` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	FOREIGN KEY (`saved_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `engagements` ADD `methodology` text DEFAULT '{"firmSettingsOf":null,"settings":{"sampleSizes":{"annual":{"lower":1,"higher":1},"quarterly":{"lower":2,"higher":2},"monthly":{"lower":2,"higher":3},"semi-monthly":{"lower":3,"higher":5},"weekly":{"lower":5,"higher":10},"daily":{"lower":20,"higher":40},"multiple-daily":{"lower":25,"higher":60},"event-driven":{"lower":25,"higher":60}},"maxDeviationsToExtend":1,"extension":"exact","ruleOfThumb":[{"plannedSize":25,"deviations":1,"extendedSize":40},{"plannedSize":60,"deviations":1,"extendedSize":100}],"proRata":false,"assemblyDays":60,"retentionYears":7,"largeSampleItems":1000}}' NOT NULL;