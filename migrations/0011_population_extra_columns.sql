ALTER TABLE `populations` ADD `extra_columns` text;--> statement-breakpoint
-- Hand-written: items kept their other columns as an object repeating every name; the names go once to the
-- population (in the order of its columns, names not among them after, by name), the values to an array by
-- position (null where the item had no value).
UPDATE `populations` SET `extra_columns` = (
  SELECT json_group_array(`name` ORDER BY `at`, `name`) FROM (
    SELECT e.`key` AS `name`, coalesce((SELECT min(c.`key`) FROM json_each(`populations`.`columns`) c WHERE c.`value` = e.`key`), 1000000000) AS `at`
    FROM `population_items` pi, json_each(CASE WHEN json_valid(pi.`extra`) THEN CASE WHEN json_type(pi.`extra`) = 'object' THEN pi.`extra` END END) e
    WHERE pi.`population_id` = `populations`.`id`
    GROUP BY e.`key`
  )
)
WHERE EXISTS (SELECT 1 FROM `population_items` pi WHERE pi.`population_id` = `populations`.`id` AND pi.`extra` LIKE '{%');
--> statement-breakpoint
UPDATE `population_items` SET `extra` = (
  SELECT json_group_array((SELECT e.`value` FROM json_each(`population_items`.`extra`) e WHERE e.`key` = n.`value`) ORDER BY n.`key`)
  FROM json_each((SELECT p.`extra_columns` FROM `populations` p WHERE p.`id` = `population_items`.`population_id`)) n
)
WHERE `extra` LIKE '{%' AND json_valid(`extra`);
