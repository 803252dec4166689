// The registry entry of ЭПОС.Школа: declaration, connector factory, mapper, emulator.
import type { PlatformEntry } from '../registry.js';
import { eposMapper } from '../../mappers/epos/index.js';
import { eposEmulator } from '../../emulators/epos/index.js';
import { createEposConnector } from './connector.js';
import { eposDeclaration, type eposConfig } from './declaration.js';

export const eposPlatform: PlatformEntry<typeof eposConfig> = {
  declaration: eposDeclaration,
  createConnector: createEposConnector,
  mapper: eposMapper,
  emulator: eposEmulator,
};
