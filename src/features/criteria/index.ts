// The criteria or control objectives in the engagement's scope, and the controls mapped to them.
export { objectiveInPath } from './loaders.js';
export { engagementScope, type EngagementScope, mappedReferences, replaceMappings } from './scope.js';
