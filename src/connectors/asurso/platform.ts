// The registry entry of АСУ РСО: declaration, connector factory, mapper, emulator.
import type { PlatformEntry } from '../registry.js';
import { asursoMapper } from '../../mappers/asurso/index.js';
import { asursoEmulator } from '../../emulators/asurso/index.js';
import { createAsursoConnector } from './connector.js';
import { asursoDeclaration, type asursoConfig } from './declaration.js';

export const asursoPlatform: PlatformEntry<typeof asursoConfig> = {
  declaration: asursoDeclaration,
  createConnector: createAsursoConnector,
  mapper: asursoMapper,
  emulator: asursoEmulator,
};
