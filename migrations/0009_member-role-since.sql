ALTER TABLE `engagement_members` ADD `role_since` text;--> statement-breakpoint
UPDATE `engagement_members` SET `role_since` = (SELECT max(a.`at`) FROM `audit_entries` a WHERE a.`entity` = 'team-member' AND a.`entity_id` = CAST(`engagement_members`.`id` AS TEXT) AND a.`engagement_id` = `engagement_members`.`engagement_id`);
