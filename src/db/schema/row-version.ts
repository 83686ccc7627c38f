import { sql } from 'drizzle-orm';
import { integer } from 'drizzle-orm/sqlite-core';

/**
 * The version of a row that forms edit: 1 when inserted, one more on every update drizzle writes (updates and
 * upserts alike), so a form based on an older version can be refused instead of overwriting what it never saw.
 */
export const rowVersion = (name = 'version') =>
  integer(name)
    .notNull()
    .default(1)
    .$onUpdate(() => sql.raw(`"${name}" + 1`));
