// The registry entry of ЭлЖур: declaration, connector factory, mapper, emulator.
import type { PlatformEntry } from '../registry.js';
import { eljurMapper } from '../../mappers/eljur/index.js';
import { eljurEmulator } from '../../emulators/eljur/index.js';
import { createEljurConnector } from './connector.js';
import { eljurDeclaration, type eljurConfig } from './declaration.js';

export const eljurPlatform: PlatformEntry<typeof eljurConfig> = {
  declaration: eljurDeclaration,
  createConnector: createEljurConnector,
  mapper: eljurMapper,
  emulator: eljurEmulator,
};
