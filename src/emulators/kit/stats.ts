// Request accounting of an emulator: counts by route and status, and the peak rate seen in any
// sliding 1-second window (the benchmark checks the connector never exceeds its budget).
import type { FaultCounts } from './faults.js';

export interface EmulatorStatsSnapshot {
  total: number;
  /** By route name (the route's `name`, or `METHOD pattern`); unmatched requests under `unmatched`. */
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  /** Most requests that arrived within any 1 000 ms window. */
  peakRps: number;
  faults: FaultCounts;
}

export class EmulatorStats {
  private total = 0;
  private byRoute = new Map<string, number>();
  private byStatus = new Map<string, number>();
  private window: number[] = [];
  private head = 0;
  private peak = 0;

  /** A request arrived (counted before faults, so refused requests count too). */
  arrived(now: number = performance.now()): void {
    this.total++;
    this.window.push(now);
    while (this.window[this.head] <= now - 1000) this.head++;
    if (this.head > 1024) {
      this.window = this.window.slice(this.head);
      this.head = 0;
    }
    this.peak = Math.max(this.peak, this.window.length - this.head);
  }

  answered(route: string, status: number): void {
    this.byRoute.set(route, (this.byRoute.get(route) ?? 0) + 1);
    this.byStatus.set(String(status), (this.byStatus.get(String(status)) ?? 0) + 1);
  }

  snapshot(faults: FaultCounts): EmulatorStatsSnapshot {
    return {
      total: this.total, byRoute: Object.fromEntries(this.byRoute), byStatus: Object.fromEntries(this.byStatus),
      peakRps: this.peak, faults: { ...faults },
    };
  }
}
