import * as sdk from '@crossplane-org/function-sdk-typescript';
import { describe, expect, it } from 'vitest';
import { Ready, Severity, Status, Target, getRequiredResource, requireResource, responseTo } from '@scia/runtime/step';

// @scia/runtime/step answers as the SDK would, without loading it: each value and helper beside the SDK's own.
describe('the protocol without the SDK', () => {
  it('has the SDK\'s enum values', () => {
    const sdkOf = (e: Record<string, unknown>, names: string[]): Record<string, unknown> => Object.fromEntries(names.map((n) => [n, e[n]]));
    for (const [ours, theirs] of [[Ready, sdk.Ready], [Severity, sdk.Severity], [Status, sdk.Status], [Target, sdk.Target]] as const) {
      expect(ours).toEqual(sdkOf(theirs, Object.keys(ours)));
    }
    // Every value the SDK names but UNRECOGNIZED is here.
    expect([Ready, Severity, Status, Target].map((e) => Object.keys(e).length)).toEqual([sdk.Ready, sdk.Severity, sdk.Status, sdk.Target].map((e) => Object.keys(e).filter((k) => Number.isNaN(Number(k)) && k !== 'UNRECOGNIZED').length));
  });

  const requests: Record<string, { reason: string; req: () => sdk.RunFunctionRequest }> = {
    bare: { reason: 'a request with nothing but a tag', req: () => sdk.RunFunctionRequest.fromPartial({ meta: { tag: 't' } }) },
    untagged: { reason: 'a request without meta', req: () => ({ ...sdk.RunFunctionRequest.fromPartial({}), meta: undefined }) },
    desired: { reason: 'desired state and context to carry on', req: () => sdk.RunFunctionRequest.fromPartial({ meta: { tag: 'x' }, context: { k: 1 }, desired: { composite: { resource: { a: 1 } }, resources: { r: { resource: { b: 2 } } } } }) },
    nullComposite: { reason: 'a desired composite decoded as null', req: () => ({ ...sdk.RunFunctionRequest.fromPartial({}), desired: { composite: null as unknown as undefined, resources: {} } }) },
  };
  it.each(Object.entries(requests))('starts a response to %s as the SDK\'s `to` does', (_, { reason, req }) => {
    const ttl = { seconds: 30, nanos: 0 };
    expect(responseTo(req(), ttl), reason).toStrictEqual(sdk.to(req(), ttl));
  });

  it('asks for and reads required resources as the SDK does', () => {
    const selector = { apiVersion: 'v1', kind: 'Secret', matchName: 'git', namespace: 'team-a' };
    const start = (): sdk.RunFunctionResponse => sdk.to(sdk.RunFunctionRequest.fromPartial({}), { seconds: 1, nanos: 0 });
    expect(requireResource(start(), 'git', selector)).toStrictEqual(sdk.requireResource(start(), 'git', selector));
    const reqs = {
      none: sdk.RunFunctionRequest.fromPartial({}),
      other: sdk.RunFunctionRequest.fromPartial({ requiredResources: { other: { items: [] } } }),
      some: sdk.RunFunctionRequest.fromPartial({ requiredResources: { git: { items: [{ resource: { kind: 'Secret' } }, { resource: { kind: 'Secret', metadata: { name: 'b' } }, ready: sdk.Ready.READY_TRUE }] } } }),
      emptyItem: { ...sdk.RunFunctionRequest.fromPartial({}), requiredResources: { git: { items: [{ connectionDetails: {}, ready: 0 } as sdk.Resource] } } },
    };
    for (const [name, req] of Object.entries(reqs)) expect(getRequiredResource(req, 'git'), name).toStrictEqual(sdk.getRequiredResource(req, 'git'));
  });
});
