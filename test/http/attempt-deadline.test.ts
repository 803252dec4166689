// An instance's `timeoutMs` bounds each attempt. axios's `timeout` is only an idle timer on the socket, though: a
// platform (or a proxy in front of it) that sent the headers and then a byte now and then never let it fire, and the
// attempt — with it the school's job and the nightly run of the whole instance — waited as long as the trickle lasted.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failure, testClient } from './helpers.js';

let server: http.Server;
let base = '';
let requests = 0;
const trickles: NodeJS.Timeout[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.write('[');
    // A space every 50 ms, for ever: never idle for the 300 ms of the client's timeout.
    trickles.push(setInterval(() => res.write(' '), 50));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  trickles.forEach(clearInterval);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('an attempt whose answer trickles in', () => {
  it('gives up after timeoutMs as a time-out (transient, retried), not when the platform stops sending', async () => {
    const http = testClient({ baseURL: base, timeoutMs: 300, retry: { maxRetries: 1, baseDelayMs: 10, maxDelayMs: 10 } });
    const t0 = Date.now();
    const err = await failure(http.get('/core/api/marks'));
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(err).toMatchObject({ action: 'retry', failureType: 'transient', status: undefined, attempts: 2 });
    expect(requests).toBe(2);
  }, 10_000);
});
