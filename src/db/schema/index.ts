export * from './auth.js';
export * from './engagements.js';
export * from './audit-trail.js';
export * from './criteria.js';
export * from './controls.js';
export * from './tickmarks.js';
export * from './populations.js';
