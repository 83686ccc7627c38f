// Exceptions found in the prior period's engagement, carried into this one.
export { priorExceptions } from './prior-exceptions.js';
