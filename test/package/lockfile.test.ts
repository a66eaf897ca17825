import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

interface LockEntry {
  version?: string;
  dev?: boolean;
  optional?: boolean;
  libc?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
};
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

describe('package-lock.json', () => {
  it('lists what package.json lists, so npm ci accepts it', () => {
    const root = lock.packages[''];
    expect(root?.dependencies).toEqual(pkg.dependencies);
    expect(root?.devDependencies).toEqual(pkg.devDependencies);
  });

  it("carries every platform's optional packages, so npm ci works on any system", () => {
    const missing: string[] = [];
    for (const [path, entry] of Object.entries(lock.packages)) {
      for (const name of Object.keys(entry.optionalDependencies ?? {})) {
        const nested = `${path}/node_modules/${name}`;
        if (lock.packages[nested] === undefined && lock.packages[`node_modules/${name}`] === undefined) {
          missing.push(`${name} (for ${path})`);
        }
      }
    }
    expect(missing).toEqual([]);
    const platforms = Object.keys(lock.packages).filter((p) => /\/@esbuild\/|\/@biomejs\/cli-/.test(p));
    for (const os of ['linux', 'darwin', 'win32'])
      expect(platforms.join()).toContain(`-${os}-`.replace(/^-/, ''));
  });

  it('has no libc fields, which npm 11 writes and npm 10 drops: a fresh npm install with either leaves it as is', () => {
    const withLibc = Object.entries(lock.packages).filter(([, e]) => e.libc !== undefined);
    expect(withLibc.map(([path]) => path)).toEqual([]);
  });
});
