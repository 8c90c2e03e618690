import type { Result } from '@scia/api';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { cloudProviderXrdV1, cloudProviderXrdV2, generatedCrds, xrdV1, xrdV2 } from '@scia/api';
import type { GeneratedCrd, StructuralSchema } from '@scia/api';
import { evaluateRules, formatAjvErrors, strictSchema } from '@scia/schemas';
import type { JsonSchema } from '@scia/schemas';

/** XrSchema is one schema Crossplane would generate from our XRDs, compiled. */
interface XrSchema {
  /** what names the CRD in messages, e.g. `v1 claim`. */
  what: string;
  schema: JsonSchema;
  check: ValidateFunction;
  /** rendered checks a rendered XR, which carries status but may lack spec. */
  rendered: ValidateFunction;
}

/**
 * XrSchemas validates Deployment claims and XRs against the CRDs Crossplane
 * generates from the XRDs in xrds/ (built here from packages/api, so they are
 * the same text): the XRD's schema plus Crossplane's own fields, and the CEL
 * rules. Unknown fields are errors, as with `kubectl apply --validate=strict`.
 */
export class XrSchemas {
  readonly #byKey = new Map<string, XrSchema[]>();

  private constructor() {}

  /** build compiles the schemas of the v1 XR, the v1 claim and the v2 XR, of Deployment and of CloudProvider. */
  static build(): Result<XrSchemas> {
    const v1 = xrdV1();
    if (!v1.ok) return v1;
    const v2 = xrdV2();
    if (!v2.ok) return v2;
    const out = new XrSchemas();
    const ajv = new Ajv({ strict: false, allErrors: true, useDefaults: true, validateFormats: false });
    const labelled: Array<[string, GeneratedCrd]> = [];
    const [composite, claim] = generatedCrds(v1.value);
    if (composite !== undefined) labelled.push(['v1 XR', composite]);
    if (claim !== undefined) labelled.push(['v1 claim', claim]);
    for (const crd of generatedCrds(v2.value)) labelled.push(['v2 XR', crd]);
    const cp1 = cloudProviderXrdV1();
    if (!cp1.ok) return cp1;
    const cp2 = cloudProviderXrdV2();
    if (!cp2.ok) return cp2;
    const [cpComposite, cpClaim] = generatedCrds(cp1.value);
    if (cpComposite !== undefined) labelled.push(['v1 XR', cpComposite]);
    if (cpClaim !== undefined) labelled.push(['v1 claim', cpClaim]);
    for (const crd of generatedCrds(cp2.value)) labelled.push(['v2 XR', crd]);
    for (const [what, crd] of labelled) out.#add(ajv, what, crd);
    return { ok: true, value: out };
  }

  #add(ajv: Ajv, what: string, crd: GeneratedCrd): void {
    for (const v of crd.spec.versions) {
      const schema = toJson(v.schema.openAPIV3Schema);
      const strict = strictSchema(draft7Bounds(schema), 'error');
      const { required: _, ...optionalSpec } = strict;
      const key = `${crd.spec.group}/${v.name}/${crd.spec.names.kind}`;
      const entry = { what, schema, check: ajv.compile(strict), rendered: ajv.compile(optionalSpec) };
      this.#byKey.set(key, [...(this.#byKey.get(key) ?? []), entry]);
    }
  }

  /** handles tells whether `apiVersion` and `kind` name one of our kinds. */
  handles(apiVersion: string, kind: string): boolean {
    return this.#byKey.has(`${apiVersion}/${kind}`);
  }

  /**
   * validate returns the problems of `obj` as `field.path: message` lines.
   * A kind served by two XRDs (the v1 claim and the v2 XR are both
   * `Deployment`) is valid when either accepts it; otherwise the problems of
   * the one it is closest to are reported, naming it. A document with status
   * and no spec is a rendered XR (what `crossplane render` prints), so spec is
   * not required of it.
   */
  validate(obj: Record<string, unknown>): string[] {
    const candidates = this.#byKey.get(`${String(obj['apiVersion'])}/${String(obj['kind'])}`) ?? [];
    const rendered = obj['spec'] === undefined && obj['status'] !== undefined;
    let closest: string[] | undefined;
    for (const c of candidates) {
      const copy: unknown = structuredClone(obj);
      const check = rendered ? c.rendered : c.check;
      const errors = check(copy) ? [] : formatAjvErrors(check.errors ?? []);
      errors.push(...evaluateRules(c.schema, copy).errors);
      if (errors.length === 0) return [];
      const named = candidates.length > 1 ? errors.map((e) => `${e} (as a ${c.what})`) : errors;
      if (closest === undefined || named.length < closest.length) closest = named;
    }
    return closest ?? [`(root): no schema for ${String(obj['apiVersion'])} ${String(obj['kind'])}`];
  }
}

/**
 * draft7Bounds rewrites OpenAPI v3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`
 * (beside `minimum`/`maximum`), which Kubernetes reads, into the numeric form ajv reads.
 */
function draft7Bounds(node: JsonSchema): JsonSchema {
  const out: JsonSchema = { ...node };
  const props = node['properties'];
  if (isSchema(props)) {
    out['properties'] = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, isSchema(v) ? draft7Bounds(v) : v]));
  }
  for (const key of ['items', 'additionalProperties'] as const) {
    const child = node[key];
    if (isSchema(child)) out[key] = draft7Bounds(child);
  }
  for (const [flag, bound] of [['exclusiveMinimum', 'minimum'], ['exclusiveMaximum', 'maximum']] as const) {
    if (out[flag] === true && typeof out[bound] === 'number') {
      out[flag] = out[bound];
      delete out[bound];
    } else if (typeof out[flag] === 'boolean') {
      delete out[flag];
    }
  }
  return out;
}

function isSchema(v: unknown): v is JsonSchema {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** toJson widens a structural schema to the JSON schema type the validators take. */
function toJson(schema: StructuralSchema): JsonSchema {
  return JSON.parse(JSON.stringify(schema)) as JsonSchema;
}
