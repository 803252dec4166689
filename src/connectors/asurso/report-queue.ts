// The report queue client (platforms.md §1.5 steps 3–5; shapes in ./report-api.ts): queue a report task, run it
// on the server's queue hub (./report-hub.ts chooses the classic or the ASP.NET Core one) and download the file.
// One hub connection serves every report of a run.
import type { HttpClient } from '../http/index.js';
import { parsePayload } from '../mapping.js';
import { QueueAnswer, type ReportTaskBody } from './report-api.js';
import { ClassicReportHub } from './report-hub-classic.js';
import type { ReportHub } from './report-hub.js';

const where = (route: string) => ({ platform: 'asurso', route });

export class ReportQueue {
  private hub: Promise<ReportHub> | undefined;
  /** Tasks run (one per report). */
  tasks = 0;

  /** `hub`: the hub, or how to find it when the first report is asked for (default: the classic hub). */
  constructor(private readonly http: HttpClient, private readonly chooseHub: () => Promise<ReportHub> = async () => new ClassicReportHub(http)) {}

  /** Queues a report task, runs it and returns the report file's text. */
  async report(queueRoute: string, body: ReportTaskBody): Promise<string> {
    const hub = await (this.hub ??= this.chooseHub().catch((e: unknown) => { this.hub = undefined; throw e; }));
    // Connected before the task is queued, as the web client does (a task nobody listens for may be dropped).
    await hub.ready();
    // A repeated queue call after a lost answer only leaves an unused task on the server.
    const { taskId, queueKey } = parsePayload(QueueAnswer, (await this.http.post(`/webapi/${queueRoute}`, { json: body, retrySafe: true })).data, where(queueRoute));
    this.tasks++;
    const fileId = await hub.run(taskId, queueKey);
    return (await this.http.get<string>('/webapi/files/{id}', { pathParams: { id: fileId }, responseType: 'text' })).data;
  }

  /** Ends the hub connection (never throws: it runs in `finally`). */
  async close(): Promise<void> {
    const hub = await this.hub?.catch(() => undefined);
    this.hub = undefined;
    await hub?.close();
  }
}
