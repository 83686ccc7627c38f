// The demo engagements, seeded into an empty database at start-up.
export { seedDemoIfEmpty } from './seed.js';
