// The platform registry (DECISIONS.md §2): a fifth platform is its three folders
// (src/connectors/<p>/, src/mappers/<p>/, src/emulators/<p>/) plus ONE entry in PLATFORMS below.
// The CLI (`emulate`, `map --list`, `sync`), the jobs and the docs find platforms only through here.
import type { Fold } from '../model/mark-spelling.js';
import type { EntityName } from '../model/enums.js';
import type * as z from 'zod';
import type { EmulatorStartOptions, RunningEmulator } from '../emulators/kit/types.js';
import type { Connector, ConnectorDeclaration, ConnectorDeps } from './contract.js';
import type { Mapper } from './mapping.js';
import { asursoPlatform } from './asurso/platform.js';
import { dnevnikPlatform } from './dnevnik/platform.js';
import { eljurPlatform } from './eljur/platform.js';
import { eposPlatform } from './epos/platform.js';

/** Everything the gateway knows about one platform. */
export interface PlatformEntry<C extends z.ZodType = z.ZodType> {
  declaration: ConnectorDeclaration<C>;
  /** `config` has already been parsed with `declaration.configSchema`. */
  createConnector(config: z.infer<C>, deps: ConnectorDeps): Connector;
  mapper: Mapper;
  emulator: { start(opts: EmulatorStartOptions): Promise<RunningEmulator> };
}

/**
 * Registry entries, keyed by platform id. Add exactly one line per platform, e.g.
 * `asurso: asursoPlatform,` with `import { asursoPlatform } from './asurso/platform.js';` above —
 * where `asursoPlatform: PlatformEntry<typeof asursoConfig>` combines the declaration, the connector
 * factory, `src/mappers/asurso` and `src/emulators/asurso`.
 */
const PLATFORMS_TABLE: Record<string, PlatformEntry<any>> = {
  asurso: asursoPlatform,
  epos: eposPlatform,
  dnevnik: dnevnikPlatform,
  eljur: eljurPlatform,
};

/** Read-only view of the registered platforms (id → entry). */
export const PLATFORMS: Readonly<Record<string, PlatformEntry>> = PLATFORMS_TABLE;

/**
 * Adds a platform at run time (tests, plug-ins). The key is `entry.declaration.platform`;
 * registering an id twice is an error.
 */
export function registerPlatform<C extends z.ZodType>(entry: PlatformEntry<C>): void {
  const id = entry.declaration.platform;
  if (PLATFORMS_TABLE[id] && PLATFORMS_TABLE[id] !== entry) throw new Error(`platform "${id}" is already registered`);
  PLATFORMS_TABLE[id] = entry;
}

/** Removes a run-time registration (tests). */
export function unregisterPlatform(id: string): void {
  delete PLATFORMS_TABLE[id];
}

/** The entry of `id`, or an error listing what is registered. */
export function getPlatform(id: string): PlatformEntry {
  const e = PLATFORMS_TABLE[id];
  if (!e) throw new Error(`unknown platform "${id}" (registered: ${Object.keys(PLATFORMS_TABLE).join(', ') || 'none'})`);
  return e;
}

/** Registered platform ids in registration order. */
export function platformIds(): string[] {
  return Object.keys(PLATFORMS_TABLE);
}

/**
 * Validates `rawConfig` with the platform's `configSchema` and creates its connector. A bad config is
 * a zod error with paths (the operator's `config check`).
 */
export function createConnectorFor(id: string, rawConfig: unknown, deps: ConnectorDeps): Connector {
  const e = getPlatform(id);
  return e.createConnector(e.declaration.configSchema.parse(rawConfig), deps);
}

/** A field list of the declaration of the platform behind canonical source system `system`. */
function declaredFields(system: string, entity: string, list: 'uncarried' | 'unwritable'): readonly string[] {
  for (const e of Object.values(PLATFORMS_TABLE)) {
    if (e.declaration.system === system) return e.declaration[list]?.[entity as EntityName] ?? [];
  }
  return [];
}

/**
 * Business fields of `entity` that the platform behind canonical source system `system` cannot carry
 * (its declaration's `uncarried`): a value there is a default, never evidence.
 */
export const uncarriedFields = (system: string, entity: string) => declaredFields(system, entity, 'uncarried');

/**
 * Business fields of `entity` that the platform behind `system` stamps itself on a record the gateway writes (its
 * declaration's `unwritable`: the writing account, the time of the write): what it holds there after a push is its
 * own value, never a competing one.
 */
export const unwritableFields = (system: string, entity: string) => declaredFields(system, entity, 'unwritable');

/** The code a write of an absence puts on the platform behind `system`, where its declaration names one. */
export function writtenAttendanceCodeOf(system: string): ConnectorDeclaration['writtenAttendanceCode'] {
  for (const e of Object.values(PLATFORMS_TABLE)) if (e.declaration.system === system) return e.declaration.writtenAttendanceCode;
  return undefined;
}

/** The values the platform behind `system` holds in its own spelling (its declaration's `folds`). */
export function foldsOf(system: string): readonly Fold[] {
  for (const e of Object.values(PLATFORMS_TABLE)) if (e.declaration.system === system) return e.declaration.folds ?? [];
  return [];
}
