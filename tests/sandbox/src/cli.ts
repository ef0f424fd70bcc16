// npm run sandbox -- up [--nodes N] [--label-variant default|lowercase-hostname|exported] [--crds all|none|g1,g2]
// npm run sandbox -- down | status | build | demo [--remove]
import { parseArgs } from 'node:util';
import { ensureHelm, ensureK8sBinary, ensureKwok, pruneOldBuilds } from './binaries.js';
import { allCrdGroups, type CrdGroup } from './crds.js';
import { labelVariants, type LabelVariant } from './dcgm.js';
import { adminApi, applyDemo, demoKubeConfig, removeDemo } from './demo.js';
import { demoPlan, sandboxTarget } from './demo-plan.js';
import { down } from './down.js';
import { status } from './status.js';
import { defaultUpOptions, up } from './up.js';

const usage = `usage: npm run sandbox -- <up|down|status|build|demo> [options]
  up      start the sandbox (idempotent)
          --nodes N              standard 8-GPU nodes (default ${defaultUpOptions.nodes}), plus one MIG and one HAMi node
          --label-variant V      dcgm label variant: ${labelVariants.join(' | ')}
          --crds all|none|LIST   test CRD groups to install: ${allCrdGroups.join(',')}
  down    stop everything up started and remove .sandbox
  status  what runs where
  build   build the cached binaries only (Kubernetes, KWOK, Helm)
  demo    seed demo workloads and GPU quotas in the tenants (\`npm start\` does; idempotent)
          --remove               remove what demo seeded`;

function fail(message: string): never {
  console.error(`${message}\n\n${usage}`);
  process.exit(2);
}

function parseCrds(value: string | undefined): CrdGroup[] {
  if (value === undefined || value === 'all') return allCrdGroups;
  if (value === 'none') return [];
  const groups = value.split(',').map((g) => g.trim());
  const unknown = groups.filter((g) => !(allCrdGroups as string[]).includes(g));
  if (unknown.length) fail(`--crds: unknown group(s) ${unknown.join(', ')}`);
  return groups as CrdGroup[];
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      nodes: { type: 'string' },
      'label-variant': { type: 'string' },
      crds: { type: 'string' },
      remove: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [command] = positionals;
  if (values.help || !command) fail('');
  switch (command) {
    case 'up': {
      const nodes = values.nodes === undefined ? defaultUpOptions.nodes : Number(values.nodes);
      if (!Number.isInteger(nodes) || nodes < 1 || nodes > 2000)
        fail('--nodes: a whole number from 1 to 2000');
      const variant = (values['label-variant'] ?? 'default') as LabelVariant;
      if (!labelVariants.includes(variant)) fail(`--label-variant: one of ${labelVariants.join(', ')}`);
      await up({ nodes, labelVariant: variant, crds: parseCrds(values.crds) });
      return;
    }
    case 'down':
      return down();
    case 'status': {
      const { up: running, lines } = status();
      console.log(lines.join('\n'));
      process.exitCode = running ? 0 : 1;
      return;
    }
    case 'demo': {
      const plan = demoPlan(sandboxTarget);
      await (values.remove ? removeDemo : applyDemo)(plan, await adminApi(), demoKubeConfig());
      return;
    }
    case 'build':
      ensureK8sBinary();
      ensureKwok();
      ensureHelm();
      pruneOldBuilds();
      return;
    default:
      fail(`unknown command "${command}"`);
  }
}

main().catch((error: unknown) => {
  console.error(`sandbox: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
