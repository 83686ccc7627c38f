// The client's list of requested items (PBC), for the features that add to it.
export { saveRequest } from './service.js';
export { requestInPath } from './loaders.js';
