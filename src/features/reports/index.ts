// The report's sections (I and IV) as Word documents, and the data Section IV is built from.
export { reportContext, sectionFourInput } from './section-four-data.js';
export { sectionFourDocx } from './section-four-docx.js';
export { OPINION_TYPE_LABELS, sectionOneDocx, sectionOneDraft } from './section-one.js';
