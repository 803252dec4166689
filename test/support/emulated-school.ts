// A synthetic school served by one platform's emulator, for the end-to-end tests of every platform
// (test/<platform>/e2e-*.test.ts): the dataset, the running emulator and the school's lesson dates.
import { afterAll, beforeAll } from 'vitest';
import { generateSchool, type DatasetOptions, type SyntheticSchool } from '../../src/emulators/dataset/index.js';

/** What starts a platform's emulator on a dataset (`(dataset) => startEljurEmulator({ dataset })`). */
export type StartEmulator<E> = (dataset: SyntheticSchool) => Promise<E>;
interface Closable { close(): unknown }

export interface EmulatedSchool<E> {
  school: SyntheticSchool;
  emu: E;
  /** First and last lesson date of the dataset: the window a whole-school read covers. */
  from: string;
  to: string;
}

/** First and last lesson date of a dataset. */
export function lessonSpan(school: SyntheticSchool): [from: string, to: string] {
  const dates = school.all('lesson').map((l) => l.date).sort();
  return [dates[0], dates.at(-1)!];
}

/** Generates the school and starts its emulator. */
export async function startSchool<E>(start: StartEmulator<E>, options: DatasetOptions): Promise<EmulatedSchool<E>> {
  const school = generateSchool(options);
  const emu = await start(school);
  const [from, to] = lessonSpan(school);
  return { school, emu, from, to };
}

/**
 * One school for the whole test file: generated and started before its tests, closed after them. The fields
 * are filled in `beforeAll`, so read them inside tests (`s.emu`), not at the top of the file.
 */
export function useEmulatedSchool<E extends Closable>(start: StartEmulator<E>, options: DatasetOptions): EmulatedSchool<E> {
  const s = {} as EmulatedSchool<E>;
  beforeAll(async () => { Object.assign(s, await startSchool(start, options)); });
  afterAll(() => s.emu?.close());
  return s;
}

/** A school of its own for one test (a larger or differently shaped one), closed when `fn` ends. */
export async function withEmulatedSchool<E extends Closable, T>(start: StartEmulator<E>, options: DatasetOptions, fn: (s: EmulatedSchool<E>) => Promise<T>): Promise<T> {
  const s = await startSchool(start, options);
  try {
    return await fn(s);
  } finally {
    await s.emu.close();
  }
}
