import { z } from 'zod';
import { parseAt } from '@scia/api';
import type { JsonObject } from '@scia/runtime';
import { readServiceFacts, SERVICE_SOURCES, type ServiceFacts } from './services-observed.js';

const Condition = z.object({
  type: z.string(),
  status: z.string(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type Condition = z.infer<typeof Condition>;

const Conditions = z.object({
  status: z.object({ conditions: z.array(Condition).optional() }).optional(),
});

const atProvider = <S extends z.ZodType>(fields: S) => z.object({ status: z.object({ atProvider: fields.optional() }).optional() });

/**
 * FACT_SOURCES names, per composition resource name, the observed field the
 * renderer reads and the schema it must match: ARNs it must copy into other
 * resources (the provider has no reference field for them) and the addresses
 * reported as endpoints.
 */
const FACT_SOURCES = {
  tg: atProvider(z.object({ arn: z.string().optional() })),
  cert: atProvider(
    z.object({
      arn: z.string().optional(),
      status: z.string().optional(),
      domainValidationOptions: z
        .array(
          z.object({
            resourceRecordName: z.string().optional(),
            resourceRecordType: z.string().optional(),
            resourceRecordValue: z.string().optional(),
          }),
        )
        .optional(),
    }),
  ),
  lb: atProvider(z.object({ dnsName: z.string().optional() })),
  'function-url': atProvider(z.object({ functionUrl: z.string().optional() })),
  'workload-service': atProvider(
    z.object({
      manifest: z
        .object({
          status: z
            .object({
              loadBalancer: z
                .object({ ingress: z.array(z.object({ hostname: z.string().optional(), ip: z.string().optional() })).optional() })
                .optional(),
            })
            .optional(),
        })
        .optional(),
    }),
  ),
} as const;

/**
 * ATPROVIDER_READ names the observed resources readObserved reads
 * `status.atProvider` of; of every other one it reads `status.conditions`
 * alone (see ReadMemo, which compares only those).
 */
export const ATPROVIDER_READ: ReadonlySet<string> = new Set([...Object.keys(FACT_SOURCES), ...SERVICE_SOURCES]);

/** ObservedResource is what the renderer reads of any observed composed resource. */
export interface ObservedResource {
  conditions: Condition[];
}

/** ObservedCertificate is the ACM certificate as observed: usable once ISSUED. */
export interface ObservedCertificate {
  arn: string;
  status: string;
  /** validation is the DNS record that proves the domain, e.g. `CNAME _a.example.com. -> _b.acm-validations.aws.`. */
  validation?: string;
}

/** ObservedFacts are the observed values rendering and status depend on. */
export interface ObservedFacts {
  resources: Record<string, ObservedResource>;
  /** services are the observed addresses of the app's database and cache (see services-observed.ts). */
  services?: ServiceFacts;
  targetGroupArn?: string;
  certificate?: ObservedCertificate;
  lbDnsName?: string;
  functionUrl?: string;
  serviceHostname?: string;
}

/** RenderedFacts are the ObservedFacts a renderer reads: all but the resources' conditions (see renderedFacts). */
export type RenderedFacts = Omit<ObservedFacts, 'resources'>;

/** renderedFacts is `facts` without the resources' conditions, which only readiness and status read. */
export function renderedFacts(facts: ObservedFacts): RenderedFacts {
  const { resources: _readiness, ...rendered } = facts;
  return rendered;
}

/** Observed is what readObserved could read, and a Warning for each value it had to leave out. */
export interface Observed {
  facts: ObservedFacts;
  warnings: string[];
}

/**
 * readObserved reads the observed composed resources the renderer depends
 * on. A value of an unexpected shape (a provider that reports something new)
 * is left out with a Warning naming the field path
 * (`observed.resources[lb].status.atProvider.dnsName`): a resource whose
 * conditions cannot be read counts as not ready, a fact that cannot be read
 * as not observed yet. Nothing observed ever stops the render.
 */
export function readObserved(observed: Record<string, JsonObject>): Observed {
  const facts: ObservedFacts = { resources: {} };
  const warnings: string[] = [];
  const read = <S extends z.ZodType>(schema: S, name: string, then: string): z.infer<S> | undefined => {
    const parsed = parseAt(schema, observed[name] ?? {}, `observed.resources[${name}]`);
    if (parsed.ok) return parsed.value;
    warnings.push(`cannot read ${parsed.error}; ${then}`);
    return undefined;
  };
  for (const name of Object.keys(observed).sort()) {
    const parsed = read(Conditions, name, `treating ${name} as not ready`);
    facts.resources[name] = { conditions: parsed?.status?.conditions ?? [] };
  }
  const tg = read(FACT_SOURCES.tg, 'tg', 'waiting for its ARN');
  const cert = read(FACT_SOURCES.cert, 'cert', 'waiting for the certificate');
  const lb = read(FACT_SOURCES.lb, 'lb', 'waiting for its address');
  const url = read(FACT_SOURCES['function-url'], 'function-url', 'waiting for its URL');
  const svc = read(FACT_SOURCES['workload-service'], 'workload-service', 'waiting for its address');
  const ingress = svc?.status?.atProvider?.manifest?.status?.loadBalancer?.ingress?.[0];
  const services = readServiceFacts(observed, warnings);
  return {
    facts: {
      ...facts,
      ...defined('targetGroupArn', tg?.status?.atProvider?.arn),
      ...certificateOf(cert?.status?.atProvider),
      ...defined('lbDnsName', lb?.status?.atProvider?.dnsName),
      ...defined('functionUrl', url?.status?.atProvider?.functionUrl),
      ...defined('serviceHostname', ingress?.hostname ?? ingress?.ip),
      ...(services === undefined ? {} : { services }),
    },
    warnings,
  };
}

function certificateOf(at: CertAtProvider | undefined): { certificate?: ObservedCertificate } {
  if (at?.arn === undefined || at.arn === '') return {};
  const record = at.domainValidationOptions?.[0];
  const validation =
    record?.resourceRecordName === undefined || record.resourceRecordValue === undefined
      ? undefined
      : `${record.resourceRecordType ?? 'CNAME'} ${record.resourceRecordName} -> ${record.resourceRecordValue}`;
  return { certificate: { arn: at.arn, status: at.status ?? 'UNKNOWN', ...(validation === undefined ? {} : { validation }) } };
}

type CertAtProvider = NonNullable<NonNullable<z.infer<(typeof FACT_SOURCES)['cert']>['status']>['atProvider']>;

function defined<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value === undefined || value === '' ? {} : ({ [key]: value } as Record<K, string>);
}

/** isReady tells whether an observed resource reports condition Ready=True. */
export function isReady(r: ObservedResource | undefined): boolean {
  return r?.conditions.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
}
