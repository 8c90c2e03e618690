export { main } from './main.js';
export type { Command, Io } from './command.js';
export { COMMANDS } from './commands/index.js';
export { FUNCTION_DEFINITIONS, builtinFunctions } from './functions.js';
export { newRenderCommand } from './commands/render.js';
export { newServeCommand, type ServeDeps } from './commands/serve.js';
export { XrSchemas } from './validate/xr-schemas.js';
export { renderXrdFiles, command as xrdCommand } from './commands/xrd.js';
export { command as validateCommand } from './commands/validate.js';
