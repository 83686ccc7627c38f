// Runs the real server in a child process, so a test can kill it with SIGKILL and start it again.
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { findRootDir } from '../../src/config.js';

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class ServerProcess {
  private child: ChildProcess | null = null;
  readonly base: string;

  constructor(
    private readonly dataDir: string,
    private readonly port: number,
    private readonly env: Record<string, string> = {},
  ) {
    this.base = `http://127.0.0.1:${port}`;
  }

  async start(): Promise<void> {
    const root = findRootDir();
    this.child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src/server.ts')], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(this.port),
        TICKMARK_DATA_DIR: this.dataDir,
        LOG_LEVEL: 'silent',
        TICKMARK_SESSION_SECRET: 's'.repeat(40),
        ...this.env,
      },
      stdio: 'ignore',
    });
    for (let i = 0; i < 200; i++) {
      try {
        if ((await fetch(`${this.base}/login`)).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the server did not start within 20 s');
  }

  /** The hard way: no shutdown hooks, no flush, as when the machine loses power. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
    this.child = null;
  }
}

/** A browser-like HTTP client: the session cookie and the CSRF token of the last page. */
export class HttpClient {
  cookie = '';
  csrf = '';

  constructor(private readonly base: () => string) {}

  private keep(res: Response, body: string): string {
    const set = res.headers.getSetCookie().find((c) => c.startsWith('tickmark_session='));
    if (set) this.cookie = set.split(';')[0]!;
    const token = /name="_csrf" value="([^"]+)"/.exec(body);
    if (token) this.csrf = token[1]!;
    return body;
  }

  async get(url: string): Promise<{ status: number; body: string }> {
    const res = await fetch(this.base() + url, {
      headers: { cookie: this.cookie, accept: 'text/html' },
      redirect: 'manual',
    });
    return { status: res.status, body: this.keep(res, await res.text()) };
  }

  async post(
    url: string,
    form: Record<string, string>,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: string }> {
    const res = await fetch(this.base() + url, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: this.cookie,
        'content-type': 'application/x-www-form-urlencoded',
        'x-csrf-token': this.csrf,
        ...headers,
      },
      body: new URLSearchParams(form).toString(),
    });
    return { status: res.status, body: this.keep(res, await res.text()) };
  }

  async login(email: string): Promise<void> {
    await this.get('/login');
    const res = await this.post('/login', { email, password: 'tickmark-demo-2025', _csrf: this.csrf });
    if (res.status !== 303) throw new Error(`log-in failed: ${res.status}`);
  }
}
