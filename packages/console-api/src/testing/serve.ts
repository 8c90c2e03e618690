/**
 * Runs a console in front of a loopback API server holding the sample
 * Deployments, until SIGTERM or SIGINT: for the dashboard's browser tests and
 * for trying the API without a cluster.
 *
 *   node packages/console-api/dist/testing/serve.js [--web DIR] [--address HOST:PORT]
 *
 * It prints one JSON line on stdout: { url, wsUrl, kubeUrl, tokens }.
 */
import { parseArgs } from 'node:util';
import { startTestCluster, TEST_TOKENS } from './cluster.js';
import { sampleDeployments } from './samples.js';

const { values } = parseArgs({ options: { web: { type: 'string' }, address: { type: 'string' } }, strict: true });
const cluster = await startTestCluster({ console: { ...(values.web === undefined ? {} : { webDir: values.web }), ...(values.address === undefined ? {} : { address: values.address }) } });
for (const d of sampleDeployments()) cluster.kube.put(d);
process.stdout.write(`${JSON.stringify({ url: cluster.console.url, wsUrl: cluster.console.wsUrl, kubeUrl: cluster.kube.url, tokens: Object.fromEntries(Object.entries(TEST_TOKENS).map(([t, u]) => [u.username, t])) })}\n`);
await new Promise<void>((ok) => {
  process.once('SIGTERM', ok);
  process.once('SIGINT', ok);
});
await cluster.close();
