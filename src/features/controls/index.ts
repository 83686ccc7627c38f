// The control matrix: controls, their test plans, labels and ITGC links, as other features read and write them.
export { itgcLinksOf, linkedItgcsOf, linkSetOf } from './itgc-links.js';
export { CONTROL_LABELS } from './labels.js';
export { controlViewInPath } from './loaders.js';
export { matrixLines } from './matrix.js';
export { controlView } from './presenter.js';
export { type ControlRow, getControl, loadMatrix, proceduresByControl, type StoredControl } from './queries.js';
export { insertControl, updateControlRow } from './service.js';
export type { DefaultedControlColumn } from './fields.js';
export { planLines, writeTestPlan } from './test-plan-service.js';
