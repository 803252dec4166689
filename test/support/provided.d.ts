// Values the vitest global setup provides to every test file (test/support/global-setup.ts).
declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
    postgresUrl: string | null;
  }
}
export {};
