// npm run verify-audit-trail [-- path/to/tickmark.db]: checks the hash chain of a database's audit trail
// and reports the first broken entry. Exit code 0 when the chain holds, 1 when it does not.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { existsSync } from 'node:fs';
import { loadConfig } from '../src/config.js';
import * as schema from '../src/db/schema/index.js';
import { verifyTrail } from '../src/features/audit-trail/trail.js';

const file = process.argv[2] ?? loadConfig().dbPath;
if (!existsSync(file)) {
  console.error(`No database at ${file}`);
  process.exit(2);
}
const sqlite = new Database(file, { readonly: true, fileMustExist: true });
const result = verifyTrail(drizzle(sqlite, { schema }));
sqlite.close();
if (result.ok) {
  console.log(`Audit trail intact: ${result.entries} entries, head ${result.headHash}`);
} else {
  console.log(`Audit trail BROKEN at entry ${result.brokenAt}: ${result.reason} (${result.entries} entries read)`);
  process.exit(1);
}
