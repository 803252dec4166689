// The `journal-gateway` command. Each subcommand lives in its own module, loaded on demand so that
// `--help` and quick commands start fast.
import { Command } from 'commander';
import { runCommand } from './run-command.js';

const program = new Command();
program
  .name('journal-gateway')
  .description('Integration and synchronization gateway between АСУ РСО, ЭПОС.Школа, Дневник.ру and ЭлЖур')
  .version('0.1.0')
  .showHelpAfterError();

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
  .option('--out <file>', 'output file (default: stdout)')
  .action((opts) => runCommand(() => import('./commands/generate.js'), opts));

program
  .command('validate')
  .argument('<file>', 'canonical NDJSON file')
  .description('run the rules R-01…R-24 over canonical NDJSON; prints violations as JSON lines; exit 1 on a blocking one')
  .option('--now <instant>', 'the moment unlock orders are judged against (default: now)')
  .action((file: string, opts) => runCommand(() => import('./commands/validate.js'), file, opts));

program
  .command('demo')
  .description('generate a synthetic school, load it into the embedded store, validate it, print counts')
  .option('--config <file>', 'configuration file', 'config/demo.yaml')
  .option('--seed <n>', 'random seed', '1')
  .option('--pupils <n>', 'number of pupils', '300')
  .option('--weeks <n>', 'number of school weeks', '8')
  .action((opts) => runCommand(() => import('./commands/demo.js'), opts));

await program.parseAsync(process.argv);
