// The HTTP server's timeouts and header limit (issue 12, item 17), over a real socket: app.inject bypasses
// Node's HTTP parser, where these live.
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { buildTestApp, Client } from '../helpers/app.js';

interface Outcome {
  response: string;
  closedAfterMs: number;
  writes: number;
}

/** Opens a connection, sends `head` at once, then `chunks` one every `everyMs`; resolves when the server closes it. */
function converse(port: number, head: string, chunks: string[], everyMs: number, giveUpMs = 8_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(port, '127.0.0.1');
    let response = '';
    let writes = 0;
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server kept the connection open for ${giveUpMs} ms (${writes} writes)`));
    }, giveUpMs);
    const next = () => {
      if (writes >= chunks.length || socket.destroyed) return;
      socket.write(chunks[writes++]!);
      timer = setTimeout(next, everyMs);
    };
    socket.on('connect', () => {
      socket.write(head);
      timer = setTimeout(next, everyMs);
    });
    socket.on('data', (d) => (response += d.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      clearTimeout(giveUp);
      resolve({ response, closedAfterMs: Date.now() - started, writes });
    });
  });
}

async function listening(env: Record<string, string>) {
  const t = await buildTestApp({ env });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const address = t.app.server.address();
  return { ...t, port: typeof address === 'object' && address ? address.port : 0 };
}

describe('slow and oversized clients', () => {
  it('closes a connection whose headers are trickled (slowloris) once the header timeout passes', async () => {
    const { port } = await listening({ TICKMARK_HEADERS_TIMEOUT_S: '1', TICKMARK_REQUEST_TIMEOUT_S: '30' });
    const trickle = Array.from({ length: 200 }, (_, i) => `X-Slow-${i}: a\r\n`);
    const outcome = await converse(port, 'GET /login HTTP/1.1\r\nHost: localhost\r\n', trickle, 100);
    expect(outcome.response).toMatch(/^HTTP\/1\.1 408/);
    // 1 s of headers, then Node's next check (every 0.5 s here); generous for a loaded machine.
    expect(outcome.closedAfterMs).toBeLessThan(5_000);
    expect(outcome.writes).toBeLessThan(60);
  });

  it('refuses request headers over 16 KiB with 431', async () => {
    const { port } = await listening({});
    const outcome = await converse(
      port,
      `GET /login HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(17 * 1024)}\r\n\r\n`,
      [],
      10,
    );
    expect(outcome.response).toMatch(/^HTTP\/1\.1 431/);
  });

  it('lets a slow body take longer than the header timeout, and cuts it off at the request timeout', async () => {
    const { app, port } = await listening({ TICKMARK_HEADERS_TIMEOUT_S: '1', TICKMARK_REQUEST_TIMEOUT_S: '4' });
    const client = new Client(app);
    await client.get('/login');
    const body = new URLSearchParams({
      _csrf: client.csrf,
      email: 'senior@demo.tickmark.test',
      password: 'tickmark-demo-2025',
    }).toString();
    const head = (length: number) =>
      `POST /login HTTP/1.1\r\nHost: localhost\r\nCookie: ${client.cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${length}\r\nConnection: close\r\n\r\n`;
    // The body arrives over about 2.5 s: past the header timeout, within the request timeout.
    const slices = body.match(/.{1,4}/g)!;
    const slow = await converse(port, head(body.length), slices, Math.ceil(2_500 / slices.length));
    expect(slow.response).toMatch(/^HTTP\/1\.1 303/);
    // A body still arriving after the request timeout is cut off.
    const stalled = await converse(
      port,
      head(body.length + 1000),
      [...slices, ...Array.from({ length: 200 }, () => 'x')],
      50,
      10_000,
    );
    expect(stalled.response).toMatch(/^HTTP\/1\.1 408/);
    expect(stalled.closedAfterMs).toBeLessThan(8_000);
  });
});
