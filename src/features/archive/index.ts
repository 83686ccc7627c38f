// The engagement archive's public side: the file dates the pages show, and the scratch folder housekeeping clears.
export { engagementFileDates } from './archive-state.js';
export { EXPORT_SCRATCH } from './export-snapshot.js';
