// A platform id given on the command line (`map`, `emulate`): an unknown one is a wrong command line (exit 64) and
// the message lists the known ones. Kept apart from options.ts, which every command imports: this loads the registry.
import { getPlatform, platformIds, type PlatformEntry } from '../connectors/registry.js';
import { UsageError } from '../infra/operator-errors.js';

export function platformArgument(id: string): PlatformEntry {
  if (!platformIds().includes(id)) throw new UsageError(`unknown platform "${id}" (known: ${platformIds().join(', ')})`);
  return getPlatform(id);
}
