import { defineConfig } from 'vitest/config';

// `npm run test:fast`: the pure rules and the route tests, without the long proofs that `npm test` adds (browser
// stories, sweeps over every route, hostile input, crash and load, archive round trips, LibreOffice). Files share
// their worker's modules (isolate: false): the app is imported and the demo seeded once per worker rather than
// once per file, which is most of the time a route test takes. `npm test` keeps every file in a fresh module
// graph, so a test that leaks state into the next still fails there.
export default defineConfig({
  test: {
    include: [
      'test/domain/**/*.test.ts',
      'test/core/**/*.test.ts',
      'test/db/**/*.test.ts',
      'test/plugins/**/*.test.ts',
      'test/features/**/*.test.ts',
      'test/config.test.ts',
    ],
    exclude: [
      'test/features/archive/**',
      'test/features/reports/libreoffice.test.ts',
      'test/features/housekeeping/leftovers.test.ts',
      'test/features/auth/login-delay.test.ts',
      'test/features/audit-trail/checkpoints.test.ts',
      'test/features/testing/large-sample-pages.test.ts',
      'test/db/query-plans.test.ts',
    ],
    isolate: false,
    setupFiles: ['test/helpers/setup.ts'],
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});
