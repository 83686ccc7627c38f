// The proposed opinion, its drafts, the description's presentation and the criteria excluded from the report.
export { recordDescription } from './description.js';
export { opinionDrafts, wordingContext } from './drafts.js';
export { exclusionsOf, markNotApplicable } from './exclusions.js';
export { engagementProposal } from './proposal.js';
export { carvedOutReferences } from './roll-up-data.js';
