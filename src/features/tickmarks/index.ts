// The engagement's tickmark legend.
export { tickmarkInPath } from './loaders.js';
export { listTickmarks, seedTickmarkLegend } from './service.js';
