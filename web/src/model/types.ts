/**
 * The dashboard's view of the team API's data. Each view reads these shapes; the
 * API client (../api) turns GraphQL results into them, so a schema change is met
 * in one place.
 */

/** PHASES are a deployment's lifecycle phases, in the order the pipeline moves through them. */
export const PHASES = ['Pending', 'Analyzing', 'Deciding', 'Provisioning', 'Running', 'Failed'] as const;
export type Phase = (typeof PHASES)[number];

/** STRATEGIES are the ways an app can run once deployed. */
export const STRATEGIES = ['vm', 'kubernetes', 'serverless'] as const;
export type Strategy = (typeof STRATEGIES)[number];

/** REQUESTED_STRATEGIES are what a claim may ask for; auto lets SCIA choose. */
export const REQUESTED_STRATEGIES = ['auto', ...STRATEGIES] as const;
export type RequestedStrategy = (typeof REQUESTED_STRATEGIES)[number];

/** POLICIES are the guarantees a claim may require of its infrastructure. */
export const POLICIES = ['require-https', 'enable-monitoring'] as const;
export type Policy = (typeof POLICIES)[number];

/** DeploymentRow is one line of the team overview. */
export interface DeploymentRow {
  id: string;
  namespace: string;
  name: string;
  phase: Phase | null;
  /** The strategy the pipeline decided, else the one the claim requested. */
  strategy: string | null;
  monthlyCost: number | null;
  /** The claim's budget ceiling, when it sets one. */
  budget: number | null;
  endpoint: string | null;
  createdAt: string | null;
}

export interface Alternative {
  strategy: string;
  reason: string;
  confidence: number;
  monthlyCost: number | null;
}

/** CitedCase is a past deployment a decision learned from. */
export interface CitedCase {
  id: string;
  name: string;
  framework: string;
  language: string;
  strategy: string;
  /** Similarity to this deployment in 0..1, when a search found the case. */
  similarity: number | null;
  outcome: string;
  failureReason: string | null;
  /** 1, 0 or -1: the feedback the case's team gave. */
  feedback: number;
  feedbackComment: string | null;
  monthlyCost: number | null;
  shared: boolean;
}

export interface Decision {
  strategy: string;
  reason: string;
  confidence: number;
  decidedBy: string;
  model: string | null;
  alternatives: Alternative[];
  /** The past deployments the decision cites; ids the user may not read are left out. */
  cases: CitedCase[];
}

export interface CostItem {
  item: string;
  monthly: number;
}

export interface ComposedResource {
  apiVersion: string;
  kind: string;
  name: string;
  ready: boolean | null;
  synced: boolean | null;
  message: string | null;
}

export interface HistoryEntry {
  at: string;
  event: string;
  message: string;
}

export interface KubeEvent {
  type: string;
  reason: string;
  message: string;
  at: string | null;
  count: number;
}

export interface Feedback {
  value: 1 | -1;
  comment: string | null;
}

/** DeploymentDetail is everything the deployment view shows. */
export interface DeploymentDetail extends DeploymentRow {
  message: string | null;
  repository: string | null;
  ref: string | null;
  prompt: string | null;
  region: string | null;
  endpoints: string[];
  policies: string[];
  decision: Decision | null;
  /** Past deployments most like this one, from the store. */
  similar: CitedCase[];
  costBreakdown: CostItem[];
  budgetUse: number | null;
  resources: ComposedResource[];
  history: HistoryEntry[];
  events: KubeEvent[];
  feedback: Feedback | null;
}

/** FieldError is a problem with one input field, named by its path (`budget.maxMonthlyCost`). */
export interface FieldError {
  field: string;
  message: string;
}
