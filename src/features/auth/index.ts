// Logging in: the clock the throttle reads (the app and tests set it) and the password rules the admin pages use.
export type { Clock } from './login-throttle.js';
export { hashPassword, passwordProblem } from './passwords.js';
