// Workpapers: the test grid, items, exceptions and conclusions, and the pages the evidence routes render.
export { CELL_LABELS } from './cell-markup.js';
export { passBlankCells, saveCells } from './cell-service.js';
export {
  drawWorkpaperExtension,
  drawWorkpaperReplacements,
  markPrepared,
  saveWording,
  setConclusion,
} from './conclusion-service.js';
export { itemsPerRound, markers } from './grid-queries.js';
export { type ExceptionInput, saveException, saveItemNotes } from './item-service.js';
export {
  evidenceInPath,
  itemInPath,
  onItem,
  onWorkpaper,
  workpaperInPath,
} from './loaders.js';
export { type ItemOnPage, renderItem, renderWorkpaper } from './pages.js';
export { caStatus, tolerablePct } from './presenter.js';
export {
  evidenceFile,
  type EvidenceRow,
  evidenceUsingContent,
  exceptionRegister,
  workpaperOfPopulation,
  type WorkpaperRow,
} from './queries.js';
export { assertWritable, type WorkpaperScope, workpaperScope } from './scope.js';
export { gridRows, loadWorkpaper, type WorkpaperData } from './workpaper-data.js';
export type { GridItem } from './workpaper-grid.js';
export { ensureWorkpaper, markChanged } from './workpaper-row.js';
