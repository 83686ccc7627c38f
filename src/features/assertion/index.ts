// Management's assertion (SOC) / the service organisation's statement (ISAE) recorded on the engagement.
export {
  assertionHistory,
  assertionSummary,
  currentAssertion,
  engagementAssertion,
  type AssertionRow,
  type AssertionSummary,
} from './queries.js';
export { recordAssertion } from './service.js';
export { assertionInPath } from './loaders.js';
