// A function binary that answers every call with its request's desired state:
// the runtime's baseline, used by process-level tests and benchmarks. It is
// declared with the function kit like every SCIA step, reading only CallEnv.
import { CallEnv } from '../../packages/api/dist/index.js';
import { defineFunction, respond, runFunctionMain } from '../../packages/runtime/dist/index.js';

await runFunctionMain(defineFunction({ name: 'function-noop', env: CallEnv, adapters: () => ({ deps: {} }), run: (req) => respond(req, 60) }));
