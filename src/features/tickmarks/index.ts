// The engagement's tickmark legend.
export { listTickmarks, seedTickmarkLegend } from './service.js';
