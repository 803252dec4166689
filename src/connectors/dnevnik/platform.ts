// The registry entry of Дневник.ру: declaration, connector factory, mapper, emulator.
import type { PlatformEntry } from '../registry.js';
import { dnevnikMapper } from '../../mappers/dnevnik/index.js';
import { dnevnikEmulator } from '../../emulators/dnevnik/index.js';
import { createDnevnikConnector } from './connector.js';
import { dnevnikDeclaration, type dnevnikConfig } from './declaration.js';

export const dnevnikPlatform: PlatformEntry<typeof dnevnikConfig> = {
  declaration: dnevnikDeclaration,
  createConnector: createDnevnikConnector,
  mapper: dnevnikMapper,
  emulator: dnevnikEmulator,
};
