/**
 * The layers of src/ (README "Layout of the code"): app and plugins on top, then the features, each used by
 * the others only through its index.ts, then core, db and the pure domain. `npm run lint:deps` fails on any
 * import that breaks them; CI runs it before the tests.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'A cycle ties modules together so that none can be read, tested or moved alone; give the flow one ' +
        'direction (a lower module reads what it needs itself, or the shared piece moves down).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-circular-between-folders',
      comment:
        'Two feature folders that import each other are one feature in two places; the flow runs one way ' +
        '(controls, populations, sampling, testing, evidence and exports), a lower feature never reads a higher one.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'domain-is-pure',
      comment:
        'src/domain holds the rules an auditor would argue about, free of I/O: no database, no HTTP, no ' +
        'features, so it can be read and tested on its own.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: {
        path: [
          '^src/(db|core|features|plugins)/',
          '^src/(app|server|config)\\.ts$',
          '(^|/)node_modules/(fastify|@fastify/|fastify-|drizzle-orm|drizzle-kit|better-sqlite3)',
        ],
      },
    },
    {
      name: 'core-and-db-below-features',
      comment:
        'src/core and src/db are what every feature stands on; importing a feature, a plugin or the app from ' +
        'there would make the layers a web again.',
      severity: 'error',
      from: { path: '^src/(core|db)/' },
      to: { path: ['^src/(features|plugins)/', '^src/(app|server)\\.ts$', '^src/types\\.d\\.ts$'] },
    },
    {
      name: 'feature-through-index',
      comment:
        "A feature uses another feature only through that feature's index.ts, its public module; never its " +
        'routes files or its internals.',
      severity: 'error',
      from: { path: '^src/features/([^/]+)/' },
      to: {
        path: '^src/features/[^/]+/',
        pathNot: ['^src/features/$1/', '^src/features/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'app-through-index-or-routes',
      comment:
        "The app layer (app.ts, server.ts, plugins/, types.d.ts) registers features' routes and uses what " +
        'their index.ts offers; it reaches no further inside a feature.',
      severity: 'error',
      from: { path: ['^src/(app|server)\\.ts$', '^src/plugins/', '^src/types\\.d\\.ts$'] },
      to: {
        path: '^src/features/',
        pathNot: ['^src/features/[^/]+/index\\.ts$', '^src/features/[^/]+/[a-z-]*routes\\.ts$'],
      },
    },
    {
      name: 'src-not-test',
      comment: 'The application never depends on its tests or their helpers.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a typo or a missing dependency.',
      severity: 'error',
      from: { path: '^src/' },
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.d.ts', '.js', '.cjs', '.mjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
