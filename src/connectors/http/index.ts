// The one HTTP layer for every platform connector (DECISIONS.md §2, §5). Import from here.
export * from './auth.js';
export * from './classify.js';
export * from './client.js';
export * from './errors.js';
export * from './metrics-hook.js';
export * from './open-sessions.js';
export * from './rate-limiter.js';
export * from './received-body.js';
export * from './redact.js';
export * from './route.js';
export * from './stats.js';
export * from './types.js';
export * from './wait-clock.js';
