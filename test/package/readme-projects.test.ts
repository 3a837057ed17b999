/**
 * The README's consumer projects (what scripts/pack-smoke.mjs builds, installs, synthesizes and
 * applies) checked for the choices that make them work, so a README edit that breaks one fails
 * here and not only in the slower smoke test.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

type Projects = Record<'cdktf' | 'cdktn', Record<string, string>>;

const root = join(__dirname, '..', '..');
const projects = JSON.parse(
  execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "import { readFileSync } from 'node:fs';" +
        "import { readReadmeProjects, readmeRecipe } from './scripts/readme-projects.mjs';" +
        "console.log(JSON.stringify({ ...readReadmeProjects('README.md'), node22: readmeRecipe(readFileSync('README.md', 'utf8'), 'node22') }));",
    ],
    { cwd: root, encoding: 'utf8' },
  ),
) as Projects & { node22: string };

interface Manifest {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides?: Record<string, string>;
}
const manifest = (flavour: keyof Projects): Manifest =>
  JSON.parse(projects[flavour]['package.json']) as Manifest;

describe("the README's consumer projects", () => {
  it('are complete for cdktf and cdktn', () => {
    for (const flavour of ['cdktf', 'cdktn'] as const) {
      expect(Object.keys(projects[flavour]).sort()).toEqual([
        'cdktf.json',
        'main.ts',
        'package.json',
        'tsconfig.json',
      ]);
      expect(manifest(flavour).dependencies['cdktf-cos-inventory']).toBeDefined();
      // TypeScript 7 has no API for ts-node: the major is pinned.
      expect(manifest(flavour).devDependencies.typescript).toMatch(/^~5\./);
      expect(manifest(flavour).devDependencies['ts-node']).toBeDefined();
      expect(JSON.parse(projects[flavour]['cdktf.json']).app).toBe('npx ts-node main.ts');
    }
  });

  it('alias cdktf to cdktn in the cdktn project, with constructs inside cdktn 0.24 peer range', () => {
    const cdktn = manifest('cdktn');
    expect(cdktn.overrides).toEqual({ cdktf: 'npm:cdktn@^0.24.0' });
    expect(cdktn.dependencies.cdktn).toBe('^0.24.0');
    expect(cdktn.dependencies.constructs).toBe('~10.7.0');
    expect(cdktn.devDependencies['cdktn-cli']).toBe('^0.24.0');
    expect(manifest('cdktf').dependencies.cdktf).toBe('^0.21.0');
  });

  it("run their CLI with HashiCorp's version check off, in both scripts", () => {
    for (const flavour of ['cdktf', 'cdktn'] as const) {
      const scripts = (JSON.parse(projects[flavour]['package.json']) as { scripts: Record<string, string> })
        .scripts;
      expect(scripts).toEqual({
        synth: `CHECKPOINT_DISABLE=1 ${flavour} synth`,
        deploy: `CHECKPOINT_DISABLE=1 ${flavour} deploy`,
      });
    }
  });

  it('carry the Node 22 recipe pack-smoke runs: node@22 into a directory of its own, first on PATH', () => {
    const lines = projects.node22.split('\n').map((line) => line.replace(/\s+#.*$/, ''));
    expect(lines).toEqual([
      'npm install --prefix "$HOME/.node22" node@22',
      'export PATH="$HOME/.node22/node_modules/.bin:$PATH"',
      'node --version',
      'npm run synth',
      '',
    ]);
  });

  it('share one main.ts but for the framework import', () => {
    const [cdktfFirst, ...cdktfRest] = projects.cdktf['main.ts'].split('\n');
    const [cdktnFirst, ...cdktnRest] = projects.cdktn['main.ts'].split('\n');
    expect(cdktfFirst).toBe("import { App, TerraformStack } from 'cdktf';");
    expect(cdktnFirst).toBe("import { App, TerraformStack } from 'cdktn';");
    expect(cdktnRest).toEqual(cdktfRest);
    expect(projects.cdktn['tsconfig.json']).toBe(projects.cdktf['tsconfig.json']);
  });
});
