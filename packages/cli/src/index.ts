export { main } from './main.js';
export type { Command, Io } from './command.js';
export { COMMANDS } from './commands/index.js';
export { BUILTIN_FUNCTIONS } from './functions.js';
