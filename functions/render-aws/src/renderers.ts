import type { Strategy } from '@scia/api';
import { renderKubernetes } from './kubernetes.js';
import type { RenderContext, RenderResult } from './model.js';
import { renderServerless } from './serverless.js';
import { renderVm } from './vm.js';

/** Renderer turns a resolved plan into the composed resources of one strategy. */
export type Renderer = (ctx: RenderContext) => RenderResult;

/** RENDERERS holds one renderer per strategy. */
export const RENDERERS: Record<Strategy, Renderer> = {
  vm: renderVm,
  kubernetes: renderKubernetes,
  serverless: renderServerless,
};
