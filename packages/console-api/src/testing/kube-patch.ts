type Json = unknown;

function isObject(v: Json): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** mergePatch applies an RFC 7386 JSON merge patch: null deletes, objects merge, anything else replaces. */
export function mergePatch(target: Json, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const out: Record<string, Json> = isObject(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/**
 * applyPatch is server-side apply reduced to what one field manager sees:
 * fields this manager applied before and leaves out now are removed; the new
 * configuration is merged over the live object (maps merge, lists and scalars
 * replace). Conflicts with other managers are not detected.
 */
export function applyPatch(live: Json, applied: Json, previous: Json): Json {
  if (!isObject(applied)) return applied;
  const out: Record<string, Json> = isObject(live) ? { ...live } : {};
  if (isObject(previous)) {
    for (const k of Object.keys(previous)) if (!(k in applied)) delete out[k];
  }
  for (const [k, v] of Object.entries(applied)) {
    out[k] = isObject(v) ? applyPatch(out[k], v, isObject(previous) ? previous[k] : undefined) : v;
  }
  return out;
}

/** fieldsV1 is the managedFields set of the fields a configuration names. */
export function fieldsV1(applied: Json): Json {
  if (!isObject(applied)) return {};
  return Object.fromEntries(Object.entries(applied).map(([k, v]) => [`f:${k}`, isObject(v) ? fieldsV1(v) : {}]));
}

/** pathOf reads a dotted path (`involvedObject.name`) from an object. */
export function pathOf(obj: Json, path: string): Json {
  let cur: Json = obj;
  for (const part of path.split('.')) cur = isObject(cur) ? cur[part] : undefined;
  return cur;
}

/** fieldText is a selected field's value as a selector compares it: a string as is, anything else as JSON ('' when absent). */
function fieldText(v: Json): string {
  return v === undefined || v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
}

/** Selector matches objects by `a=b`, `a==b`, `a!=b` terms; labels also by bare `a` and `!a`. */
export type Selector = (obj: Json) => boolean;

/** parseSelector reads a label or field selector; `lookup` resolves a term's key on an object. */
export function parseSelector(text: string | null, lookup: (obj: Json, key: string) => Json): Selector {
  if (text === null || text.trim() === '') return () => true;
  const terms = text.split(',').map((t) => t.trim()).filter((t) => t !== '').map((t) => {
    const m = /^([^!=]+?)\s*(==|!=|=)\s*(.*)$/.exec(t);
    if (m !== null) {
      const [, key = '', op, value = ''] = m;
      return (o: Json): boolean => (fieldText(lookup(o, key)) === value) === (op !== '!=');
    }
    if (t.startsWith('!')) return (o: Json): boolean => lookup(o, t.slice(1)) === undefined;
    return (o: Json): boolean => lookup(o, t) !== undefined;
  });
  return (o) => terms.every((f) => f(o));
}

/**
 * schemaErrors checks `value` against a structural schema's types, required
 * fields and enums, returning `path: message` causes as the API server words them.
 */
export function schemaErrors(schema: Json, value: Json, path = ''): Array<{ field: string; message: string }> {
  if (!isObject(schema) || value === undefined) return [];
  const type = schema['type'];
  const ok = type === undefined || (type === 'object' ? isObject(value) : type === 'array' ? Array.isArray(value)
    : type === 'integer' ? Number.isInteger(value) : type === 'number' ? typeof value === 'number' : typeof value === type);
  if (!ok) return [{ field: path, message: `Invalid value: "${typeof value}": ${path} in body must be of type ${JSON.stringify(type)}` }];
  const errs: Array<{ field: string; message: string }> = [];
  const en = schema['enum'];
  if (Array.isArray(en) && !en.includes(value)) errs.push({ field: path, message: `Unsupported value: ${JSON.stringify(value)}` });
  if (isObject(value)) {
    const req = schema['required'];
    if (Array.isArray(req)) for (const r of req) if (!(String(r) in value)) errs.push({ field: `${path}.${String(r)}`, message: 'Required value' });
    const props = schema['properties'];
    if (isObject(props)) for (const [k, v] of Object.entries(value)) errs.push(...schemaErrors(props[k], v, `${path}.${k}`));
  }
  const items = schema['items'];
  if (Array.isArray(value)) value.forEach((v, i) => errs.push(...schemaErrors(items, v, `${path}[${i}]`)));
  return errs;
}
