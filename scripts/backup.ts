// npm run backup -- <file.zip>: a consistent online copy of the live database and the evidence files.
// Safe while the server runs: SQLite's backup API copies a consistent snapshot while writers carry on, and the
// evidence store is frozen by hard links first (uploads still arriving are left out).
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { backup } from '../src/features/backup/backup.js';

const target = process.argv[2];
if (!target) {
  console.error('Usage: npm run backup -- <file.zip>');
  process.exit(2);
}
const config = loadConfig();
const manifest = await backup(config.dbPath, config.dataDir, path.resolve(target));
const bytes = manifest.files.reduce((n, f) => n + f.bytes, 0);
console.log(
  `Backed up ${config.dbPath} and ${manifest.files.length - 1} evidence files (${(bytes / 2 ** 20).toFixed(1)} MB) to ${path.resolve(target)}`,
);
if (manifest.missingEvidence.length > 0) {
  console.error(
    `Warning: the database refers to ${manifest.missingEvidence.length} evidence files that the evidence store does not hold, so the backup cannot hold them either:`,
  );
  for (const name of manifest.missingEvidence) console.error(`  ${name}`);
  process.exit(1);
}
