import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultWorld, type Component, type Fault, type FaultWorld } from './support/fault-world.js';
import { Controller, UID, claim, readYaml, ready, type Reconciled } from './support/reconcile.js';

/**
 * The planted-secret scan: distinct secrets where operators and teams put
 * them (the password of SCIA_DATABASE_URL, OLLAMA_HOST's userinfo, the host of
 * the `ollama` credential, the `git` credential, a repository URL's userinfo,
 * tokens committed to the repository), the whole pipeline run over gRPC on
 * the happy path and on the failure paths that quote URLs and errors, and
 * then every output scanned: each step's whole response (results, which
 * become Kubernetes events, conditions, desired status and composed
 * resources, context), the rendered XR and resources, Fatal messages, every
 * log line and the rows the store keeps. None may hold a secret in plaintext.
 */
const SECRETS = {
  store: 'dbpw-Hx81vQ3zLm',
  modelHost: 'ollamapw-Kt52nB9w',
  modelCredential: 'ollamacred-Pq47sR2x',
  git: 'gitpw-Wm63yE8u',
  gitUrl: 'urlpw-Zr19dC4k',
  envToken: 'tok_envPlanted7Rj2Nf',
  settingsKey: 'settingsPlanted5Gh8Tk',
  dockerToken: `ghp_${'Dk4PlantedToken9'.padEnd(36, 'x')}`,
} as const;

/** FILES commit the tokens where teams leave them: a .env file, a settings module, a Dockerfile. */
const FILES = {
  '.env': `API_TOKEN=${SECRETS.envToken}\n`,
  'settings.py': `SECRET_KEY = "${SECRETS.settingsKey}"\nDEBUG = False\n`,
  Dockerfile: `FROM python:3.12-slim\nENV GITHUB_TOKEN=${SECRETS.dockerToken}\nCOPY . /app\nCMD ["gunicorn", "app:app", "--bind", "0.0.0.0:8000"]\n`,
};

const secret = (name: string, data: Record<string, string>): Record<string, unknown> => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: 'crossplane-system' },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});

/** composition is auto-decision's with the `git` credential on analyze and, with `ollama`, the model credential on decide. */
function composition(ollama: boolean): Record<string, unknown> {
  const comp = readYaml('examples/auto-decision/composition.yaml');
  const spec = comp['spec'] as { pipeline: Record<string, unknown>[] };
  const ref = (name: string) => ({ name, source: 'Secret', secretRef: { namespace: 'crossplane-system', name: `scia-${name}` } });
  spec.pipeline = spec.pipeline.map((step) =>
    step['step'] === 'analyze' ? { ...step, credentials: [ref('git')] } : step['step'] === 'decide' && ollama ? { ...step, credentials: [ref('ollama')] } : step);
  return comp;
}

describe('planted secrets', () => {
  let world: FaultWorld;
  const outputs: string[] = [];
  let n = 0;
  beforeAll(async () => {
    world = await startFaultWorld({ store: SECRETS.store, model: SECRETS.modelHost, git: SECRETS.git, files: FILES });
  });
  afterAll(async () => {
    await world?.close();
  });

  /** controller is a claim of the served repository (`url` overrides it), through the composition with or without the ollama credential. */
  function controller(opts: { ollamaCredential: boolean; url?: string }): Controller {
    const name = `secret-${++n}`;
    const credentials = [
      secret('scia-git', { username: 'scia', password: SECRETS.git }),
      secret('scia-ollama', { host: `${world.modelUrl.replace('://', `://scia:${SECRETS.modelCredential}@`)}`, model: 'qwen2.5-coder:7b' }),
    ];
    const xr = claim(
      { repository: { url: opts.url ?? world.repositoryUrl, ref: 'main' }, prompt: `High availability API (${name})`, budget: { maxMonthlyCost: 1000, alertThreshold: 0.8, enforcementMode: 'soft' } },
      { name, uid: UID.replace(/a001$/, String(2000 + n)), labels: { 'crossplane.io/claim-name': name, 'crossplane.io/claim-namespace': 'team-backend', 'crossplane.io/composite': name } },
    );
    const c = new Controller(world.pipeline, xr, { composition: composition(opts.ollamaCredential), credentials });
    c.status = () => ready();
    return c;
  }

  /** run reconciles `c` `times` times, keeping every output (a Fatal's message too). */
  async function run(c: Controller, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      try {
        const r: Reconciled = await c.reconcile();
        outputs.push(r.text, JSON.stringify(r.results));
      } catch (err) {
        outputs.push((err as Error).message);
      }
      for (const { step, rsp } of world.take()) outputs.push(`${step}: ${JSON.stringify(rsp)}`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  async function during(component: Component, fault: Fault, go: () => Promise<void>): Promise<void> {
    await world.set(component, fault);
    try {
      await go();
    } finally {
      await world.set(component, 'up');
    }
  }

  it('leaves no planted secret in any result, condition, status, resource, log line or stored row', async () => {
    // The happy path, through each model credential, to converged and Running.
    const viaHost = controller({ ollamaCredential: false });
    const viaCredential = controller({ ollamaCredential: true });
    await run(viaHost, 8);
    await run(viaCredential, 8);
    // Failure paths that quote URLs and errors: Git refusing and down, the model refusing, the store down or refusing, all on first decisions.
    await during('git', 'refusing', () => run(viaHost, 2));
    await during('git', 'down', () => run(controller({ ollamaCredential: false }), 3));
    await during('model', 'refusing', () => run(controller({ ollamaCredential: true }), 6));
    await during('model', 'down', () => run(controller({ ollamaCredential: false }), 6));
    if (world.hasStore) await during('store', 'refusing', () => run(controller({ ollamaCredential: false }), 6));
    await during('store', 'down', () => run(controller({ ollamaCredential: true }), 6));
    // A repository URL with a password in it is refused, and the refusal must not quote it.
    const inUrl = world.repositoryUrl.replace('://', `://scia:${SECRETS.gitUrl}@`);
    await run(controller({ ollamaCredential: false, url: inUrl }), 1);
    outputs.push(...world.pipeline.lines, ...(await world.storeRows()));

    const all = outputs.join('\n');
    const planted = { ...SECRETS, gitBasic: Buffer.from(`scia:${SECRETS.git}`).toString('base64'), credentialBasic: Buffer.from(`scia:${SECRETS.modelCredential}`).toString('base64') };
    const leaked = Object.entries(planted).filter(([, value]) => all.includes(value)).map(([name]) => name);
    const auth = world.ollama.chatHeaders.map((h) => String(h.authorization ?? ''));
    expect({
      leaked,
      // The secrets were in use: the model was asked with each credential, and the failures were reported with the places they name.
      modelAuth: [...new Set(auth)].sort(),
      reported: ['RepositoryUnavailable', 'AnalysisStale', 'RetrievalDegraded', 'DecisionDegraded', 'InvalidRepository'].filter((r) => !all.includes(r)),
      quotesPlaces: all.includes('127.0.0.1'),
      logLines: world.pipeline.lines.length > 0,
    }).toEqual({
      leaked: [],
      modelAuth: [`Basic ${Buffer.from(`scia:${SECRETS.modelCredential}`).toString('base64')}`, `Basic ${Buffer.from(`scia:${SECRETS.modelHost}`).toString('base64')}`].sort(),
      reported: [],
      quotesPlaces: true,
      logLines: true,
    });
  }, 300_000);
});
