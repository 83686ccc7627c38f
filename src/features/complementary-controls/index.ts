// The engagement's CUECs and CSOCs, for the pages and reports that list them.
export { complementaryIdInPath, complementaryInPath } from './loaders.js';
export { listComplementary } from './service.js';
