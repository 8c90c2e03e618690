import type { Result } from '@scia/api';
import { z } from 'zod';
import { parseAt } from '@scia/api';
import type { JsonObject } from '@scia/runtime';

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
  targetGroupArn?: string;
  certificate?: ObservedCertificate;
  lbDnsName?: string;
  functionUrl?: string;
  serviceHostname?: string;
}

/**
 * readObserved validates the observed composed resources the renderer reads,
 * naming the field path (`observed.resources[lb].status.atProvider.dnsName`)
 * of any value of an unexpected shape.
 */
export function readObserved(observed: Record<string, JsonObject>): Result<ObservedFacts> {
  const facts: ObservedFacts = { resources: {} };
  for (const name of Object.keys(observed).sort()) {
    const parsed = parseAt(Conditions, observed[name], `observed.resources[${name}]`);
    if (!parsed.ok) return parsed;
    facts.resources[name] = { conditions: parsed.value.status?.conditions ?? [] };
  }
  const read = <S extends z.ZodType>(schema: S, name: string) =>
    parseAt(schema, observed[name] ?? {}, `observed.resources[${name}]`);
  const tg = read(FACT_SOURCES.tg, 'tg');
  if (!tg.ok) return tg;
  const cert = read(FACT_SOURCES.cert, 'cert');
  if (!cert.ok) return cert;
  const lb = read(FACT_SOURCES.lb, 'lb');
  if (!lb.ok) return lb;
  const url = read(FACT_SOURCES['function-url'], 'function-url');
  if (!url.ok) return url;
  const svc = read(FACT_SOURCES['workload-service'], 'workload-service');
  if (!svc.ok) return svc;
  const ingress = svc.value.status?.atProvider?.manifest?.status?.loadBalancer?.ingress?.[0];
  return {
    ok: true,
    value: {
      ...facts,
      ...defined('targetGroupArn', tg.value.status?.atProvider?.arn),
      ...certificateOf(cert.value.status?.atProvider),
      ...defined('lbDnsName', lb.value.status?.atProvider?.dnsName),
      ...defined('functionUrl', url.value.status?.atProvider?.functionUrl),
      ...defined('serviceHostname', ingress?.hostname ?? ingress?.ip),
    },
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
