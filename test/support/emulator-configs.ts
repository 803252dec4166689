// The instance entries live with the emulators (the demo builds its config with them too).
export * from '../../src/emulators/kit/gateway-yaml.js';
