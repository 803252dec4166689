// Reads the configuration file's text, or says in one line what is wrong with the path itself. A cron job runs in
// the account's home directory, so a relative --config that worked by hand is not found there; the message used to
// be `cannot read: ENOENT`, naming neither the file nor what to do.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config-error.js';

export function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file, path: '', message: unreadable(file, (e as NodeJS.ErrnoException).code), fileItself: true }]);
  }
}

function unreadable(file: string, code: string | undefined): string {
  const abs = path.resolve(file);
  // The absolute path too when it differs: it shows which directory a relative path was taken from.
  const named = abs === file ? file : `${file} (${abs})`;
  switch (code) {
    case 'ENOENT':
    case 'ENOTDIR':
      return `config file not found: ${named}: give --config FILE with the configuration's path (a relative path is read from the directory the command runs in)`;
    case 'EISDIR':
      return `config file ${named} is a directory: give --config FILE with the YAML file itself`;
    case 'EACCES':
    case 'EPERM':
      return `config file ${named} cannot be read: permission denied (${code}); the account running the command needs read access to it`;
    default:
      return `config file ${named} cannot be read (${code ?? 'unknown error'})`;
  }
}
