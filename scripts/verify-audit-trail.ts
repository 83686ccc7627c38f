// npm run verify-audit-trail [-- path/to/tickmark.db]: checks the hash chain of a database's audit trail against
// the signed checkpoints beside it (<database>.checkpoints) and reports the first broken entry, then what the
// check cannot prove; then replays the trail of the rows written through recordWrite and reports each whose
// current values differ from its last entry (changed behind the app's back). Exit code 0 when the chain holds
// and every replayed row agrees, 1 otherwise.
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import * as schema from '../src/db/schema/index.js';
import { anchoringFrom, checkpointFileFor } from '../src/features/audit-trail/checkpoints.js';
import { divergentRows } from '../src/core/audit/replay.js';
import { verifyTrail } from '../src/core/audit/trail.js';
import { KEY_FILE, readInstanceKey } from '../src/core/signing/index.js';

const config = loadConfig();
const file = path.resolve(process.argv[2] ?? config.dbPath);
if (!existsSync(file)) {
  console.error(`No database at ${file}`);
  process.exit(2);
}
// The instance's key sits beside its database in the usual layout; else in TICKMARK_DATA_DIR.
const keyDir = existsSync(path.join(path.dirname(file), KEY_FILE)) ? path.dirname(file) : config.dataDir;
const key = readInstanceKey(keyDir);
const anchoring = anchoringFrom(
  checkpointFileFor(file, config.dataDir),
  key?.publicKey ?? null,
  path.join(keyDir, KEY_FILE),
);
const sqlite = new Database(file, { readonly: true, fileMustExist: true });
const db = drizzle(sqlite, { schema });
const result = verifyTrail(db, anchoring);
const divergent = divergentRows(db);
sqlite.close();
if (result.ok) {
  const latest = result.latestCheckpoint
    ? `; ${result.checkpoints} checkpoint${result.checkpoints === 1 ? '' : 's'}, the latest at entry ${result.latestCheckpoint.id} (${result.latestCheckpoint.at})`
    : '';
  console.log(`Audit trail intact: ${result.entries} entries, head ${result.headHash}${latest}`);
} else {
  console.log(`Audit trail BROKEN at entry ${result.brokenAt}: ${result.reason} (${result.entries} entries read)`);
}
if (divergent.length === 0) console.log('Every row the trail records by structure holds the values of its last entry.');
else
  console.log(
    `\n${divergent.length} value${divergent.length === 1 ? '' : 's'} differ from the trail's last entry (changed outside the app):`,
  );
for (const d of divergent)
  console.log(
    `- ${d.entity} ${d.entityId}, ${d.column}: the trail says ${JSON.stringify(d.trail)}, the row holds ${JSON.stringify(d.current)}`,
  );
console.log('\nWhat this check cannot prove:');
for (const limit of result.limits) console.log(`- ${limit}`);
if (!result.ok || divergent.length > 0) process.exit(1);
