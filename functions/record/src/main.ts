import { runFunctionMain } from '@scia/runtime';
import { definition } from './definition.js';
await runFunctionMain(definition);
