// Backups and restores of the data directory: their work folders, and the zip reader and writer archives use.
export { BACKUP_WORK_PREFIX, RESTORE_WORK_PREFIX } from './backup.js';
export { readZip, type ZipSource, zipStream } from './zip.js';
