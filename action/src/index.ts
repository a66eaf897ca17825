// The flowgate Action's entry, as action.yml runs it (bundled to action/dist/index.mjs): one step of one run.
import { providerModels } from '../../src/action/models.ts';
import { runner } from '../../src/action/runner.ts';

await runner({ models: providerModels });
