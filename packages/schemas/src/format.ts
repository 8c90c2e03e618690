import type { ErrorObject } from 'ajv';

/**
 * formatAjvErrors turns ajv errors into `field.path: message` lines, naming the
 * missing or unknown field itself rather than its parent, sorted and deduplicated.
 */
export function formatAjvErrors(errors: readonly ErrorObject[]): string[] {
  const lines = new Set<string>();
  for (const e of errors) lines.add(formatOne(e));
  return [...lines].sort();
}

function formatOne(e: ErrorObject): string {
  const path = pointerToPath(e.instancePath);
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `${child(path, String(params['missingProperty']))}: Required value`;
    case 'additionalProperties':
      return `${child(path, String(params['additionalProperty']))}: unknown field`;
    case 'enum':
      return `${orRoot(path)}: must be one of ${JSON.stringify(params['allowedValues'])}`;
    default:
      return `${orRoot(path)}: ${e.message ?? e.keyword}`;
  }
}

/** pointerToPath turns `/spec/ports/0/name` into `spec.ports[0].name`. */
export function pointerToPath(pointer: string): string {
  if (pointer === '') return '';
  return pointer
    .slice(1)
    .split('/')
    .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((acc, seg) => (/^\d+$/.test(seg) ? `${acc}[${seg}]` : child(acc, seg)), '');
}

function child(path: string, name: string): string {
  const segment = /^[A-Za-z_][\w-]*$/.test(name) ? name : `[${JSON.stringify(name)}]`;
  if (path === '') return segment.startsWith('[') ? `(root)${segment}` : segment;
  return segment.startsWith('[') ? `${path}${segment}` : `${path}.${segment}`;
}

function orRoot(path: string): string {
  return path === '' ? '(root)' : path;
}
