export { main } from './main.js';
export type { Command, Io } from './command.js';
export { COMMANDS } from './commands/index.js';
export { BUILTIN_FUNCTIONS } from './functions.js';
export * from './render/index.js';
export { newRenderCommand } from './commands/render.js';
export { newServeCommand, type ServeDeps } from './commands/serve.js';
export { newConsoleCommand, type ConsoleDeps } from './commands/console.js';
