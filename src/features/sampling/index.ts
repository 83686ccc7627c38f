// Samples: sizing, drawing, extending and replacing them, and reading their items.
export { SAMPLE_METHOD_LABELS, SIZING_LABELS } from './labels.js';
export { sampleInPath } from './loaders.js';
export {
  isItemOfSample,
  itemsOfSample,
  type SampledItem,
  sampleItemKeys,
  type SampleRow,
  samplesOfControl,
} from './queries.js';
export { createSample, drawReplacements, extendSample, type SizePolicy } from './service.js';
export { proposeSize } from './sizing.js';
