import { loadConfig } from './config.js';
import { buildApp } from './app.js';
import { seedDemoIfEmpty } from './features/demo/index.js';

const config = loadConfig();
const app = await buildApp(config);

const demo = config.demo ? await seedDemoIfEmpty(app.conn, config.dataDir) : null;

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    app.close().then(
      () => process.exit(0),
      (err) => {
        app.log.error(err);
        process.exit(1);
      },
    );
  });
}

await app.listen({ port: config.port, host: config.host });
const url = `http://${config.host === '0.0.0.0' ? 'localhost' : config.host}:${config.port}`;
console.log(`\nTickmark is running at ${url}`);
if (demo) {
  console.log(`\nDemo log-ins (password for all: ${demo.password}):`);
  for (const login of demo.logins) console.log(`  ${login.email.padEnd(28)} ${login.role}`);
  console.log('');
} else if (config.demo) {
  console.log('The database already holds data: no demo data seeded.');
}
