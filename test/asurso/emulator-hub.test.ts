// The emulator's ASP.NET Core queue hub keeps ASP.NET Core's client time-out (a connection it hears nothing from is
// closed with a close message), and the connector's pings keep an idle connection open past it.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CoreReportHub } from '../../src/connectors/asurso/report-hub-core.js';
import { startAsursoEmulator, type AsursoEmulator } from '../../src/emulators/asurso/index.js';
import { connectorFor } from './harness.js';

let emu: AsursoEmulator;
const TIMEOUT_MS = 300;
beforeAll(async () => { emu = await startAsursoEmulator({ serverVersion: '5.44.7850', hubClientTimeoutMs: TIMEOUT_MS }); });
afterAll(() => emu?.close());

describe('АСУ РСО emulator: the ASP.NET Core hub drops silent clients', () => {
  it.each([[100, 1], [0, 0]])('keepAliveMs %i: after three time-outs of silence %i connection(s) still open', async (keepAliveMs, open) => {
    const c = connectorFor(emu);
    await c.open();
    const hub = new CoreReportHub(c.http, 'signalr/queueHub', { keepAliveMs });
    try {
      await hub.ready();
      expect(emu.state.reports.sockets.size).toBe(1);
      await new Promise((r) => setTimeout(r, 3 * TIMEOUT_MS));
      await vi.waitFor(() => expect(emu.state.reports.sockets.size).toBe(open));
    } finally {
      await hub.close();
      await c.close();
    }
  });
});
