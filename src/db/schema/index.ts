export * from './auth.js';
export * from './engagements.js';
export * from './audit-trail.js';
