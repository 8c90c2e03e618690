export { crdDir, repoRootFrom, type CrdDir, type CrdDirSource } from './crd-dir.js';
export { CrdIndex, type Crd, type CrdVersion, type JsonSchema } from './crd-index.js';
export { evaluateRules, type CelFindings } from './cel.js';
export { strictSchema } from './structural.js';
export { formatAjvErrors, pointerToPath } from './format.js';
export {
  Validator,
  createValidator,
  defaultValidator,
  validateResource,
  loadSchemaFor,
  missingDirMessage,
  type LoadedSchema,
  type ValidationResult,
  type ValidatorOptions,
} from './validate.js';
