// npm run restore -- <file.zip>: replaces the database and evidence files with those of a backup.
//
// Stop the server first. The backup is extracted and checked before anything changes: every file against the
// SHA-256 in its manifest, the database's integrity check, and the audit trail's hash chain. Only then are
// the current database and evidence folder moved aside (to data/before-restore-<time>/, never deleted) and
// the backup put in their place. Start the server again afterwards.
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { restore } from '../src/features/backup/backup.js';

const source = process.argv[2];
if (!source) {
  console.error('Usage: npm run restore -- <file.zip>   (stop the server first)');
  process.exit(2);
}
const config = loadConfig();
try {
  const result = await restore(path.resolve(source), config.dbPath, config.dataDir);
  console.log(
    `Restored ${result.files} files into ${config.dbPath}; the audit trail verifies (${result.auditEntries} entries, ${result.checkpoints} signed checkpoints).`,
  );
  if (result.movedAside) console.log(`The previous data was moved to ${result.movedAside}.`);
} catch (err) {
  console.error(`Nothing was changed: ${(err as Error).message}`);
  process.exit(1);
}
