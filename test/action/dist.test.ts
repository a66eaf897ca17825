import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const DIST = join(ROOT, 'action/dist');
const fresh = mkdtempSync(join(tmpdir(), 'flowgate-dist-'));
afterAll(() => rmSync(fresh, { recursive: true, force: true }));

describe('action/dist', () => {
  it('is exactly what `npm run build:action` makes of the current sources (run it and commit the result)', () => {
    execFileSync(process.execPath, [join(ROOT, 'scripts/build-action.ts'), fresh], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    const built = readdirSync(fresh).sort();
    expect(readdirSync(DIST).sort()).toEqual(built);
    for (const file of built) {
      const same = readFileSync(join(fresh, file)).equals(readFileSync(join(DIST, file)));
      expect(same, `action/dist/${file} differs from a fresh build: run npm run build:action`).toBe(true);
    }
  });

  it('is what action.yml runs, on node24', () => {
    const yml = readFileSync(join(ROOT, 'action/action.yml'), 'utf8');
    expect(yml).toMatch(/^ {2}using: node24$/m);
    expect(yml).toMatch(/^ {2}main: dist\/index\.mjs$/m);
  });
});
