// A function binary that answers every call with its request's desired state:
// the runtime's baseline, used by process-level tests and benchmarks.
import { respond, runFunctionMain } from '../../packages/runtime/dist/index.js';

await runFunctionMain({ name: 'function-noop', build: () => (req) => respond(req, 60) });
