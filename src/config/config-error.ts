// A configuration problem (exit 2): each names the file, the line where YAML can tell it, and the exact path inside
// the document — or, for a file that cannot be read at all, only the message, which names the file itself.

export interface ConfigProblem {
  file: string;
  path: string;
  line?: number;
  message: string;
  /** The file itself cannot be read: there is no path inside it, and the message names the file. */
  fileItself?: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  if (p.fileItself) return p.message;
  return `${p.file}${p.line ? `:${p.line}` : ''}: ${p.path || '(document)'}: ${p.message}`;
}
