import type { ServerResponse } from 'node:http';
import { resourceKey, type ResourceDef } from './kube-store.js';

/** Target is a parsed resource path. */
export interface Target {
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
}

/** notFound answers 404 for the target. */
export function notFound(res: ServerResponse, t: Target): void {
  sendStatus(res, 404, 'NotFound', `${resourceKey(t.def)} "${t.name ?? ''}" not found`);
}

/** sendJson answers with a JSON body. */
export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** sendStatus answers with a metav1.Status, as the API server does for every failure. */
export function sendStatus(res: ServerResponse, code: number, reason: string, message: string): void {
  if (res.headersSent) return void res.end();
  sendJson(res, code, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code });
}

