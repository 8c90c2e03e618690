import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { evaluateRules } from './cel.js';
import { crdDir, type CrdDir } from './crd-dir.js';
import { isObject, type Result } from '@scia/api';
import { CrdIndex, type Crd, type JsonSchema } from './crd-index.js';
import { formatAjvErrors } from './format.js';
import { strictSchema } from './structural.js';

/** ValidationResult is the outcome of validating one resource against its CRD. */
export type ValidationResult =
  | { ok: true; skipped: string[] }
  | { ok: false; errors: string[]; skipped: string[] };

/** LoadedSchema is the served version of a CRD that matches an apiVersion and kind. */
export interface LoadedSchema {
  crd: Crd;
  version: string;
  /** schema is the version's openAPIV3Schema as the CRD states it. */
  schema: JsonSchema;
}

export interface ValidatorOptions {
  /** unknownFields: 'error' (default) reports fields a schema does not list; 'ignore' prunes as the API server does. */
  unknownFields?: 'error' | 'ignore';
}

/** Validator validates resources against the CRDs of one directory, caching compiled schemas. */
export class Validator {
  readonly dir: string;
  readonly #index: CrdIndex;
  readonly #ajv: Ajv;
  readonly #compiled = new Map<string, ValidateFunction>();
  readonly #unknownFields: 'error' | 'ignore';

  constructor(index: CrdIndex, opts: ValidatorOptions = {}) {
    this.dir = index.dir;
    this.#index = index;
    this.#unknownFields = opts.unknownFields ?? 'error';
    this.#ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true, validateFormats: false });
  }

  /** loadSchemaFor finds the served CRD version for `apiVersion` and `kind`. */
  loadSchemaFor(apiVersion: string, kind: string): Result<LoadedSchema> {
    const slash = apiVersion.lastIndexOf('/');
    const group = slash === -1 ? '' : apiVersion.slice(0, slash);
    const version = apiVersion.slice(slash + 1);
    const found = this.#index.find(group, kind);
    if (!found.ok) return found;
    const crd = found.value;
    if (crd === undefined) {
      return { ok: false, error: `cannot find a CRD for apiVersion ${apiVersion} kind ${kind} in ${this.dir}` };
    }
    const v = crd.versions.find((x) => x.name === version && x.served);
    if (v === undefined) {
      const served = crd.versions.filter((x) => x.served).map((x) => x.name).join(', ');
      return { ok: false, error: `cannot use apiVersion ${apiVersion} kind ${kind}: ${crd.file} serves only ${served}` };
    }
    return { ok: true, value: { crd, version, schema: v.schema } };
  }

  /**
   * validate checks `obj` against the openAPIV3Schema of its CRD's matching
   * served version (after applying the schema's defaults to a copy, as the API
   * server does) and then evaluates the CRD's CEL rules on that copy. Errors
   * name the field path, e.g. `spec.forProvider.region: Required value`.
   */
  validate(obj: unknown): ValidationResult {
    if (!isObject(obj) || typeof obj['apiVersion'] !== 'string' || typeof obj['kind'] !== 'string') {
      return { ok: false, errors: ['(root): a resource needs string apiVersion and kind'], skipped: [] };
    }
    const loaded = this.loadSchemaFor(obj['apiVersion'], obj['kind']);
    if (!loaded.ok) return { ok: false, errors: [loaded.error], skipped: [] };
    const copy: unknown = structuredClone(obj);
    const check = this.#compile(loaded.value);
    const errors = check(copy) ? [] : formatAjvErrors(check.errors ?? []);
    const cel = evaluateRules(loaded.value.schema, copy);
    errors.push(...cel.errors);
    return errors.length === 0 ? { ok: true, skipped: cel.skipped } : { ok: false, errors, skipped: cel.skipped };
  }

  #compile(loaded: LoadedSchema): ValidateFunction {
    const key = `${loaded.crd.group}/${loaded.version}/${loaded.crd.kind}`;
    let fn = this.#compiled.get(key);
    if (fn === undefined) {
      fn = this.#ajv.compile(strictSchema(loaded.schema, this.#unknownFields));
      this.#compiled.set(key, fn);
    }
    return fn;
  }
}

/** createValidator indexes the CRDs under `dir`. */
export function createValidator(dir: string, opts: ValidatorOptions = {}): Result<Validator> {
  const index = CrdIndex.load(dir);
  return index.ok ? { ok: true, value: new Validator(index.value, opts) } : index;
}

let fallback: { where: CrdDir; validator: Result<Validator> } | undefined;

/** defaultValidator is the validator of crdDir(), built once per process and directory. */
export function defaultValidator(): Result<Validator> {
  const where = crdDir();
  if (fallback === undefined || fallback.where.dir !== where.dir) {
    const validator = where.exists
      ? createValidator(where.dir)
      : { ok: false as const, error: `cannot load CRDs: ${missingDirMessage(where)}` };
    fallback = { where, validator };
  }
  return fallback.validator;
}

/** validateResource validates `obj` against the CRDs of crdDir(). */
export function validateResource(obj: unknown): ValidationResult {
  const v = defaultValidator();
  return v.ok ? v.value.validate(obj) : { ok: false, errors: [v.error], skipped: [] };
}

/** loadSchemaFor finds the served CRD version for `apiVersion` and `kind` in crdDir(). */
export function loadSchemaFor(apiVersion: string, kind: string): Result<LoadedSchema> {
  const v = defaultValidator();
  return v.ok ? v.value.loadSchemaFor(apiVersion, kind) : v;
}

/** missingDirMessage explains where CRDs were looked for and how to fetch them. */
export function missingDirMessage(where: CrdDir): string {
  return `no CRD directory at ${where.dir} (searched ${where.searched.join(', ')}); set SCIA_CRD_DIR or run \`npm run crds\``;
}

export type { ErrorObject };
