// Populations: finding, importing, generating and freezing them, their C&A state and their timeline.
export { caFactsOf, caGate, caStateOf } from './ca-state.js';
export { frameDates, frameHash, itemsPerDate } from './frame.js';
export { abandonInterruptedImports } from './import-abandon.js';
export { ImportJobs } from './import-job.js';
export {
  controlInPath,
  controlOfPopulation,
  livePopulationInPath,
  mappablePopulationInPath,
  populationInPath,
} from './loaders.js';
export {
  caOf,
  type ControlRow,
  findControl,
  findPopulation,
  itemsByKeys,
  livePopulations,
  type PopulationRow,
} from './queries.js';
export { completeCa, saveCa } from './ca-service.js';
export {
  createUploadedPopulation,
  freezePopulation,
  type HashedFrame,
  hashFrame,
  generatePeriodicPopulations,
} from './service.js';
export { storeSourceFile } from './source-file.js';
export { tieOut } from './tie-out.js';
export { timelineSvg } from './timeline-svg.js';
