import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
    // A hang's safety net, not a speed check (speed lives in `npm run bench`): tests run side by side, and on a
    // loaded 2-core runner a process-driving test takes several times its unloaded time.
    testTimeout: 60_000,
    // Most tests wait on processes, HTTP and timers rather than the CPU: more workers than cores finish sooner.
    maxWorkers: 3,
  },
});
