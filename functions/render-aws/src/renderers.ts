import type { Result } from '@scia/api';
import type { Strategy } from '@scia/api';
import { renderKubernetes } from './kubernetes.js';
import type { RenderContext, Rendered } from './model.js';
import { renderServerless } from './serverless.js';
import { renderVm } from './vm.js';

/** Renderer turns a resolved plan into the composed resources of one strategy. */
export type Renderer = (ctx: RenderContext) => Result<Rendered>;

/** RENDERERS holds one renderer per strategy. */
export const RENDERERS: Record<Strategy, Renderer> = {
  vm: renderVm,
  kubernetes: renderKubernetes,
  serverless: renderServerless,
};
