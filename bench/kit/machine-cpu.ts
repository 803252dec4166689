// Who used the machine's cores while a bench stage ran: the whole machine (/proc/stat) and the PostgreSQL server
// (its live processes plus what its exited backends left in the postmaster's children's time). A benchmark whose
// platforms and database share the cores with the gateway needs these to say how much of its wall time the gateway
// could ever win back. Linux only: elsewhere every figure is null, and the bench prints it as not measured.
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux architecture Node runs on). */
const TICKS = 100;

export interface CpuReading {
  /** Busy CPU of every core together (user, nice, system, irq, softirq, steal), seconds. */
  machineBusy: number | null;
  /** CPU of the PostgreSQL server's processes, seconds, including exited backends. */
  postgres: number | null;
}

function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0];
    const f = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: everything but idle and iowait was work.
    return (f[0] + f[1] + f[2] + f[5] + f[6] + (f[7] ?? 0)) / TICKS;
  } catch {
    return null;
  }
}

/** Fields after the command name in /proc/<pid>/stat (the name may hold spaces, so split after its closing paren). */
function statFields(pid: string): { comm: string; fields: string[] } | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    return { comm: text.slice(text.indexOf('(') + 1, close), fields: text.slice(close + 2).split(' ') };
  } catch {
    return null; // the process ended between listing and reading
  }
}

function postgresSeconds(): number | null {
  let pids: string[];
  try {
    pids = readdirSync('/proc').filter((p) => /^\d+$/.test(p));
  } catch {
    return null;
  }
  let ticks = 0;
  let seen = false;
  for (const pid of pids) {
    const stat = statFields(pid);
    if (!stat || !stat.comm.startsWith('postgres')) continue;
    seen = true;
    // fields[0] is state; utime, stime, cutime, cstime are stat fields 14–17, i.e. indexes 11–14 here.
    const [utime, stime, cutime, cstime] = stat.fields.slice(11, 15).map(Number);
    ticks += utime + stime + cutime + cstime;
  }
  return seen ? ticks / TICKS : null;
}

export function readCpu(): CpuReading {
  return { machineBusy: machineBusySeconds(), postgres: postgresSeconds() };
}

/** Seconds used between two readings, rounded to 0.01 s; null where either was not measured. */
export function cpuBetween(a: CpuReading, b: CpuReading): CpuReading {
  const d = (x: number | null, y: number | null) => (x === null || y === null ? null : Math.round((y - x) * 100) / 100);
  return { machineBusy: d(a.machineBusy, b.machineBusy), postgres: d(a.postgres, b.postgres) };
}
