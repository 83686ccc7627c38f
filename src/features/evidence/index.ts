// Evidence files on a workpaper: recording one, sending one back, and the columns that describe its content.
export { contentOfRow, EVIDENCE_CONTENT_COLUMNS, EVIDENCE_CONTENT_SQL } from './content-columns.js';
export { sendAsAttachment } from './download.js';
export { type ReceivedEvidence, recordEvidence } from './service.js';
