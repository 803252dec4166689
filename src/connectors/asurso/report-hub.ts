// Which queue hub runs a report task (platforms.md §1.1 version notes): the classic ASP.NET SignalR hub over long
// polling before 5.29 (report-hub-classic.ts), the ASP.NET Core hub over a websocket from 5.29 (report-hub-core.ts,
// at `queueHub`, from 5.32 at `signalr/queueHub`). `options.reportHub` of the account picks one, or `auto` picks
// by the version the server states in `logindata`.
import type { HttpClient } from '../http/index.js';
import { CORE_HUB, serverVersionAtLeast } from './report-api.js';
import { ClassicReportHub } from './report-hub-classic.js';
import { CoreReportHub } from './report-hub-core.js';

/** A hub connection that runs report tasks: one per run, shared by every report of it. */
export interface ReportHub {
  /** Connects (once); a report task is queued only after this, as the web client does. */
  ready(): Promise<void>;
  /** Starts a queued task and resolves with the id of its file. */
  run(taskId: number, queueKey?: string): Promise<string>;
  /** Ends the connection (never throws: it runs in `finally`). */
  close(): Promise<void>;
}

export type ReportHubChoice = 'auto' | 'classic' | 'core';

/**
 * The hub for a server: `classic`, `core`, or by the stated version under `auto` — a server that states none is
 * taken for a current one (every server seen since 2024 is ≥ 5.32).
 */
export function chooseReportHub(http: HttpClient, choice: ReportHubChoice, version: string | undefined): ReportHub {
  const core = () => new CoreReportHub(http, version === undefined || serverVersionAtLeast(version, CORE_HUB.signalrPathFrom) ? CORE_HUB.path : CORE_HUB.firstPath);
  if (choice === 'classic') return new ClassicReportHub(http);
  if (choice === 'core') return core();
  return version !== undefined && !serverVersionAtLeast(version, CORE_HUB.since) ? new ClassicReportHub(http) : core();
}
