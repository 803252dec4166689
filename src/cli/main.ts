// The `journal-gateway` command. Each subcommand lives in its own module, loaded on demand so that
// `--help` and quick commands start fast.
import { Command, CommanderError } from 'commander';
import { EXIT } from './exit-codes.js';
import { runCommand } from './run-command.js';

// Everything the gateway writes — backups, the embedded store, reports, import packages — holds pupils' personal
// data (152-ФЗ): readable by the operator's account only, whatever the shell's umask (022 left them world-readable).
process.umask(0o077);
// `journal-gateway backup list | head -1`: the reader went away; stop quietly instead of an EPIPE stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

const program = new Command();
program
  .name('journal-gateway')
  .description('Integration and synchronization gateway between АСУ РСО, ЭПОС.Школа, Дневник.ру and ЭлЖур')
  .version('0.1.0')
  .showHelpAfterError()
  // Set before any subcommand is declared, so every one inherits it: commander's own usage errors (an unknown
  // option, a missing argument) exit with the usage code, not 1 (docs/operations.md "Exit codes").
  .exitOverride();

const config = program.command('config').description('work with configuration files');
config
  .command('check')
  .argument('<file>', 'YAML configuration file')
  .description('validate a configuration file and point at the exact path and problem')
  .action((file: string) => runCommand(() => import('./commands/config-check.js'), file));

program
  .command('generate')
  .description('generate a synthetic school as canonical NDJSON (one record a line)')
  .option('--seed <n>', 'random seed', '1')
  .option('--pupils <n>', 'number of pupils (about)', '300')
  .option('--weeks <n>', 'number of school weeks to generate')
  .option('--schools <n>', 'number of schools', '1')
  .option('--out <file>', 'output file, under its name only once complete (default: stdout)')
  .action((opts) => runCommand(() => import('./commands/generate.js'), opts));

program
  .command('validate')
  .argument('<file>', 'canonical NDJSON file')
  .description('run the rules R-01…R-24 over canonical NDJSON; prints violations as JSON lines; exit 1 on a blocking one')
  .option('--now <instant>', 'the moment unlock orders are judged against (default: now)')
  .action((file: string, opts) => runCommand(() => import('./commands/validate.js'), file, opts));

program
  .command('demo')
  .description('the four-platform demo: emulators, roster sync, grade push, a migration into ЭлЖур, a verified backup, a reconciliation table; exit 0 only when nothing was lost')
  .option('--config <file>', 'configuration file (region name, store)', 'config/demo.yaml')
  .option('--seed <n>', 'random seed', '1')
  .option('--pupils <n>', 'number of pupils', '60')
  .option('--weeks <n>', 'number of school weeks', '1')
  .action((opts) => runCommand(() => import('./commands/demo.js'), opts));

program
  .command('emulate')
  .argument('<platform>', 'platform id (asurso, epos, dnevnik, eljur)')
  .description("run a platform's emulator on the synthetic school; prints one JSON line with baseUrl and accounts")
  .option('--port <n>', 'port (0 = any free port)', '0')
  .option('--seed <n>', 'dataset seed', '1')
  .option('--pupils <n>', 'pupils in the synthetic school', '100')
  .option('--empty-journal', 'roster and timetable only (a migration target)')
  .option('--faults <json>', 'fault injection, e.g. \'{"errorRate":0.1,"latencyMs":50}\'')
  .action((platform: string, opts) => runCommand(() => import('./commands/emulate.js'), platform, opts));

program
  .command('map')
  .argument('<platform>', 'platform id')
  .argument('[route]', 'the route as platforms.md writes it, e.g. student/diary')
  .argument('[file]', 'a payload saved from that route')
  .option('--context <json>', 'what the payload lacks: timeZone, ids from the URL, format json|xml')
  .option('--list', 'list the routes this platform can map')
  .description('print the canonical NDJSON a platform payload maps to; quarantine lines go to stderr')
  .action((platform: string, route: string | undefined, file: string | undefined, opts) =>
    runCommand(() => import('./commands/map.js'), platform, route, file, opts));

program
  .command('worker')
  .description('run a worker for every job kind (roster-sync, journal-sync, grade-push, nightly-backup, yearly-archive); reconciles schedules from the config')
  .requiredOption('--config <file>', 'configuration file')
  .option('--concurrency <n>', 'jobs of each kind at once in this process', '1')
  .option('--prefix <p>', 'BullMQ key prefix (isolates gateways sharing one Redis)', 'jg')
  .option('--no-schedules', 'do not reconcile schedules at start-up')
  .option('--metrics-port <n>', 'serve /healthz, /readyz and /metrics (staff token) on this port; default: off')
  .option('--metrics-host <host>', 'listen address for --metrics-port', '127.0.0.1')
  .action((opts) => runCommand(() => import('./commands/worker.js'), opts));

program
  .command('schedules')
  .description('list the job schedulers (cron in each school\'s time zone); --apply reconciles them with the config')
  .requiredOption('--config <file>', 'configuration file')
  .option('--apply', 'upsert the schedulers the config wants and remove the rest')
  .option('--prefix <p>', 'BullMQ key prefix', 'jg')
  .action((opts) => runCommand(() => import('./commands/schedules.js'), opts));

// --instance narrows a run to one instance; without it each command runs the instances src/jobs/processors.ts lists
// for it, and the help says which.
const syncOptions = (c: Command, instanceHelp: string) => c
  .requiredOption('--config <file>', 'configuration file')
  .requiredOption('--school <id>', 'school id from the configuration')
  .option('--instance <name>', instanceHelp)
  .option('--from <date>', 'window start YYYY-MM-DD')
  .option('--to <date>', 'window end YYYY-MM-DD')
  .option('--json', 'print the run summary as JSON')
  .option('--prefix <p>', 'key prefix of the running workers: this run counts in their rate limit (when Redis answers)', 'jg');
const sync = program.command('sync').description('one-off sync runs on the same processors as the scheduled jobs');
syncOptions(sync.command('roster').description('read rosters, match identities, apply changes and deletes'),
  'read this platform instance only (default: every instance the school has an id on, its system of record first)')
  .option('--accept-deletes <n>', 'apply deletes a run refused above the threshold: the exact number of missing records it reported')
  .action((opts) => runCommand(() => import('./commands/sync.js'), 'roster-sync', opts));
syncOptions(sync.command('journal').description('read lessons, marks, attendance and final marks for a window'),
  'read this platform instance only (default: the school\'s system of record, then each of its push targets)')
  .action((opts) => runCommand(() => import('./commands/sync.js'), 'journal-sync', opts));
syncOptions(program.command('push').description('push marks and attendance from the system of record to the school\'s targets'),
  'push into this target only, one of the school\'s pushTargets (default: every push target)')
  .option('--dry-run', 'report what would be pushed, write nothing')
  .action((opts) => runCommand(() => import('./commands/sync.js'), 'grade-push', opts));

/** A repeatable option: `--section A --section B` (or `--section A,B`). */
const list = (v: string, prev: string[] = []) => [...prev, ...v.split(',').map((x) => x.trim()).filter(Boolean)];
program
  .command('unlock')
  .description('record an unlock order (приказ) for a closed journal period: the next push sends the changes it covers (R-22, R-24); --list shows the school\'s orders, --revoke withdraws one recorded by mistake')
  .requiredOption('--config <file>', 'configuration file')
  .requiredOption('--school <id>', 'school id from the config')
  .option('--list', 'list the school\'s recorded orders (revoked ones too) as JSON lines')
  .option('--revoke', 'revoke the order --order of --order-date: R-22 stops letting its changes through')
  .option('--order <number>', 'the order\'s number, e.g. 7-ОД')
  .option('--order-date <date>', 'the order\'s date (YYYY-MM-DD)')
  .option('--issued-by <personId>', 'canonical id of the director or deputy director who issued it')
  .option('--section <id>', 'canonical id of a section the order opens (repeat, or a comma list)', list)
  .option('--student <id>', 'canonical id of a pupil (repeat, or a comma list); none: every pupil of the sections', list)
  .option('--from <date>', 'first lesson date the order opens')
  .option('--to <date>', 'last lesson date the order opens')
  .option('--valid-through <date>', 'last day the order is valid')
  .option('--reason <text>', 'why (the teacher\'s request, say)')
  .option('--issuer-role <role>', 'director or deputy_academic: record the issuer\'s role at the school (no platform lists the administration)')
  .action((opts) => runCommand(() => import('./commands/unlock.js'), opts));

const esia = program.command('esia').description('Госуслуги (ESIA) login: what an operator checks before registering the system');
esia
  .command('url')
  .requiredOption('--config <file>', 'configuration file with an auth.esia section')
  .description('print the authorization URL the gateway would send, every parameter visible')
  .action((opts) => runCommand(() => import('./commands/esia-url.js'), opts));
esia
  .command('check')
  .requiredOption('--config <file>', 'configuration file with an auth.esia section')
  .description('check the key, the certificate, its hash and the signature round trip locally')
  .action((opts) => runCommand(() => import('./commands/esia-check.js'), opts));

program
  .command('serve')
  .description("the parents' diary: ESIA / OpenID Connect login, children, marks, attendance, homework")
  .option('--config <file>', 'configuration file (auth, web, store)')
  .option('--demo', 'self-contained demo: synthetic school, fake ESIA, test GOST key')
  .option('--host <host>', 'listen address (default: web.host)')
  .option('--port <n>', 'port (default: web.port; 0 = any free port)')
  .option('--prefix <p>', 'BullMQ key prefix the workers use (for /status and the queue metrics)', 'jg')
  .action((opts) => runCommand(() => import('./commands/serve.js'), opts));

program
  .command('review')
  .argument('[action]', 'list (default); confirm|reject a child link; merge|separate a possible duplicate person; keep|take a conflict; links of a pupil; allow|refuse a parent access to a pupil; unlink-subject a subject a platform names differently; split a platform record off the person it was wrongly linked to')
  .argument('[id]', 'the candidate or conflict to decide, the pupil (links, allow, refuse), or the person (split)')
  .requiredOption('--config <file>', 'configuration file')
  .option('--by <personId>', "the administrator's canonical person id")
  .option('--guardian <personId>', "allow|refuse: the parent's canonical person id (review links lists them)")
  .option('--instance <name>', 'unlink-subject: the platform instance that names the subject differently; split: the instance of the record to split off')
  .option('--source-id <id>', 'split: the platform id of the record to split off (`review split <personId>` lists the person\'s links)')
  .option('--school <id>', 'list: the items that school\'s syncs raised; unlink-subject: the school id of the configuration; merge|separate|keep|take|split: only that school\'s; allow|refuse|confirm|reject: only a pupil with a role there')
  .option('--title <title>', 'unlink-subject: the subject title as that platform gives it (the roster summary lists them)')
  .description('the review queue: child-link candidates, possible duplicate persons (never merged automatically), conflicts between platforms')
  .action((action: string | undefined, id: string | undefined, opts) => runCommand(() => import('./commands/review.js'), action, id, opts));

program
  .command('report')
  .argument('<kind>', 'journal-filling, attendance, progress, summary-sheet, teacher-activity, family-delivery, family-printout')
  .description('a regulation report from the canonical store (R-29, R-30, R-36…R-40); see docs/reports.md')
  // Required as in every other command on the store: a default of config/demo.yaml answered an operator who forgot
  // --config from the demo's store, whatever directory the command ran in.
  .requiredOption('--config <file>', 'configuration file')
  .requiredOption('--school <id>', "the school's canonical organization id or its id in the configuration")
  .requiredOption('--period <p>', 'academic session id or title («1 четверть»), month YYYY-MM, or day YYYY-MM-DD (the 7 days ending that day)')
  .option('--format <f>', 'csv (UTF-8 with BOM), html (printable) or json', 'html')
  .option('--class <title>', 'one homeroom class, e.g. 5А (title or id)')
  .option('--separator <c>', 'CSV field separator: "," (RFC 4180, default) or ";" (Excel in a Russian locale)')
  .option('--out <file>', 'write to a file instead of standard output')
  .action((kind: string, opts) => runCommand(() => import('./commands/report.js'), kind, opts));

const staff = program.command('staff').description('staff accounts of the web server (web.staff in the configuration)');
staff
  .command('hash-password')
  .description('print the scrypt hash of a password read from standard input, for web.staff[].passwordHash or the variable passwordHashEnv names')
  .action(() => runCommand(() => import('./commands/staff-hash-password.js')));

program
  .command('migrate')
  .description('move a school from one platform to another: full read, identity matching, plan, push through the ledger (resumable), reconciliation')
  .requiredOption('--config <file>', 'configuration file')
  .requiredOption('--from <instance>', 'source platform instance')
  .requiredOption('--to <instance>', 'target platform instance')
  .requiredOption('--school <id>', 'school id from the configuration (must have an id on both instances)')
  .option('--dry-run', 'report what would be written; write nothing to the target')
  .option('--verify-import', 'ЭлЖур target: read the school back after the support team loaded the import package and reconcile (docs/migration.md)')
  .option('--since <date>', 'first day to migrate (default: 1 September of the current school year)')
  .option('--until <date>', 'last day to migrate (default: today)')
  .option('--out <dir>', 'where the JSON and HTML reports go', '.data/reports')
  .option('--prefix <p>', 'key prefix of the running workers: this run counts in their rate limit (when Redis answers)', 'jg')
  .action((opts) => runCommand(() => import('./commands/migrate.js'), opts));

program
  .command('eljur-package')
  .argument('<file>', 'canonical NDJSON of the school (e.g. from `generate`)')
  .description('the import package for a school moving to ЭлЖур (no write API): CSV files, manifest and README for the support team')
  .requiredOption('--out <dir>', 'directory for the package files')
  .option('--vendor <vendor>', "the school's ЭлЖур subdomain, when known")
  .option('--from <date>', 'first day of lessons, marks and attendance (with --to)')
  .option('--to <date>', 'last day of lessons, marks and attendance (with --from)')
  .action((file: string, opts) => runCommand(() => import('./commands/eljur-package.js'), file, opts));

program
  .command('backup')
  .argument('<action>', 'run | verify [snapshotId] | restore --dir D | prune <snapshotId>|--expired | list | archive --year Y [--check]')
  .argument('[snapshotId]', 'the archive_snapshot to verify or prune (see backup list)')
  .description('signed backups of the store on two media in two rooms; verify, restore, prune after retention (docs/backup.md)')
  .requiredOption('--config <file>', 'configuration file (store, backup.destinations, keys)')
  .option('--school <id>', 'run: back up this school only (default: the whole store, recorded for its only school); archive: the school to archive; list/verify/prune: this school\'s snapshots only')
  .option('--organization <uuid>', 'run: back up the configured school of this organization (with its cursors; refused when no configured school is it); archive: the organization to archive; list/verify/prune: its snapshots only')
  .option('--dir <path>', 'verify/restore: one copy of a backup (a directory with manifest.json)')
  .option('--into <dir>', 'restore: a new or empty directory for a new embedded store, or an existing one (default: the configured store, which must be empty)')
  .option('--expired', 'prune: every snapshot past its retainUntil')
  .option('--json', 'run/list: JSON lines')
  .option('--year <y>', 'archive: the school year by its ending year (2026 = 2025/2026)')
  .option('--check', 'archive: only report classes without a class journal snapshot (R-31); exit 1 if any')
  .option('--amend', 'archive: make again the class journals and summary sheet whose data changed since (the earlier ones are kept)')
  .option('--separator <c>', 'archive: CSV field separator, "," (RFC 4180) or ";" (Excel in a Russian locale); default backup.csvSeparator, itself "," unless set')
  .action((action: string, id: string | undefined, opts) => runCommand(() => import('./commands/backup.js'), action, id, opts));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (!(e instanceof CommanderError)) throw e;
  // Commander has printed its message (and help); --help and --version end with 0.
  process.exitCode = e.exitCode === 0 ? EXIT.ok : EXIT.usage;
}
