// The shared emulator toolkit (DECISIONS.md §6, PLATFORM-SLICE.md §1). Import from here.
export * from './faults.js';
export * from './router.js';
export * from './server.js';
export * from './startup-line.js';
export * from './stats.js';
export * from './types.js';
export * from './school.js';
