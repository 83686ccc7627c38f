// The engagement's CUECs and CSOCs, for the pages and reports that list them.
export { listComplementary } from './service.js';
