// The consumer projects of the README's "Using it in your own project": every fenced block
// preceded by `<!-- pack-smoke: <project>/<file> ... -->` is that file of each named project.
// scripts/pack-smoke.mjs builds the projects from exactly these files, so the README cannot
// drift from what is tested.
import { readFileSync } from 'node:fs';

/** Files every project must have. */
export const PROJECT_FILES = ['package.json', 'tsconfig.json', 'cdktf.json', 'main.ts'];

/** `{ cdktf: { 'package.json': '...', ... }, cdktn: { ... } }` from the README's text. */
export function readmeProjects(readme) {
  const projects = {};
  const block = /<!-- pack-smoke: ([^>]+?) -->\s*\n```[a-z]*\n([\s\S]*?)\n```/g;
  for (const [, targets, body] of readme.matchAll(block)) {
    for (const target of targets.trim().split(/\s+/)) {
      const slash = target.indexOf('/');
      if (slash <= 0) throw new Error(`readme-projects: bad target ${JSON.stringify(target)}`);
      const project = target.slice(0, slash);
      const file = target.slice(slash + 1);
      projects[project] ??= {};
      if (projects[project][file] !== undefined) {
        throw new Error(`readme-projects: ${target} appears twice in the README`);
      }
      projects[project][file] = `${body}\n`;
    }
  }
  for (const [name, files] of Object.entries(projects)) {
    const missing = PROJECT_FILES.filter((file) => files[file] === undefined);
    if (missing.length > 0)
      throw new Error(`readme-projects: ${name} lacks ${missing.join(', ')} in the README`);
  }
  return projects;
}

export function readReadmeProjects(path) {
  return readmeProjects(readFileSync(path, 'utf8'));
}

/**
 * The shell block after `<!-- pack-smoke-recipe: <name> -->` (e.g. the Node 22 recipe for
 * cdktn-cli), which scripts/pack-smoke.mjs runs as the README shows it.
 */
export function readmeRecipe(readme, name) {
  const block = new RegExp(`<!-- pack-smoke-recipe: ${name} -->\\s*\\n\`\`\`sh\\n([\\s\\S]*?)\\n\`\`\``);
  const match = block.exec(readme);
  if (!match) throw new Error(`readme-projects: the README has no ${name} recipe`);
  return `${match[1]}\n`;
}
