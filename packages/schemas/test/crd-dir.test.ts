import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { crdDir, repoRootFrom } from '@scia/schemas';

describe('crdDir', () => {
  it('takes SCIA_CRD_DIR first, relative to the working directory', () => {
    expect(crdDir({ SCIA_CRD_DIR: 'crds' }, '/somewhere')).toEqual({ dir: '/somewhere/crds', source: 'env', exists: false, searched: ['/somewhere/crds'] });
  });

  it('finds ../shared/reference beside the repository root', () => {
    const root = repoRootFrom(process.cwd());
    if (root === undefined) throw new Error('tests run inside the repository');
    expect(crdDir({ HOME: '/home/x' }).searched[0]).toBe(join(root, '..', 'shared', 'reference'));
  });

  it('finds the repository root by the package.json named scia, from any directory inside it', () => {
    const root = mkdtempSync(join(tmpdir(), 'scia-root-'));
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'scia' }));
    mkdirSync(join(root, 'packages', 'x'), { recursive: true });
    writeFileSync(join(root, 'packages', 'x', 'package.json'), JSON.stringify({ name: '@scia/x' }));
    expect(repoRootFrom(join(root, 'packages', 'x'))).toBe(root);
    expect(repoRootFrom(tmpdir())).toBeUndefined();
  });
});
