/**
 * The GraphQL documents the dashboard sends, and the shapes of their answers.
 * A test validates every document against the team API's schema
 * (packages/console-api/schema.graphql), so the two cannot drift unnoticed.
 */

const ROW = /* GraphQL */ `
  fragment Row on Deployment {
    id
    namespace
    name
    createdAt
    phase
    spec { strategy budget { maxMonthlyCost } }
    decision { strategy }
    cost { estimatedMonthly }
    endpoints { url }
  }
`;

export interface RowNode {
  id: string;
  namespace: string;
  name: string;
  createdAt: string | null;
  phase: string | null;
  spec: { strategy: string; budget: { maxMonthlyCost: number | null } | null };
  decision: { strategy: string } | null;
  cost: { estimatedMonthly: number } | null;
  endpoints: Array<{ url: string }>;
}

/** FIRST_PAGE is the overview's first request: a screenful, answered quickly, shown at once. */
export const FIRST_PAGE = 100;

/** PAGE_SIZE is the largest page the API serves, for the pages after the first. */
export const PAGE_SIZE = 1000;

export const OVERVIEW = /* GraphQL */ `
  query Overview($first: Int, $after: String) {
    deployments(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { ...Row } }
    }
  }
  ${ROW}
`;

export interface OverviewData {
  deployments: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    edges: Array<{ node: RowNode }>;
  };
}

export const UPDATES = /* GraphQL */ `
  subscription Updates($namespace: String) {
    deploymentUpdated(namespace: $namespace) { type deployment { ...Row } }
  }
  ${ROW}
`;

export interface UpdatesData {
  deploymentUpdated: { type: 'ADDED' | 'MODIFIED' | 'DELETED'; deployment: RowNode };
}

const CASE = /* GraphQL */ `
  fragment Case on SimilarCase {
    id name framework language strategy outcome failureReason costMonthly feedback feedbackComment similarity shared
  }
`;

export interface CaseNode {
  id: string;
  name: string;
  framework: string;
  language: string;
  strategy: string;
  outcome: string;
  failureReason: string | null;
  costMonthly: number | null;
  feedback: number;
  feedbackComment: string | null;
  similarity: number | null;
  shared: boolean;
}

const ALTERNATIVE = 'alternatives { strategy reason confidence estimatedMonthlyCost }';

export interface AlternativeNode {
  strategy: string;
  reason: string;
  confidence: number;
  estimatedMonthlyCost: number | null;
}

export const DEPLOYMENT = /* GraphQL */ `
  query Deployment($id: ID!) {
    deployment(id: $id) {
      ...Row
      message
      spec { repository { url ref } prompt region policies }
      decision { strategy reason confidence decidedBy model ${ALTERNATIVE} citedCaseIds citedCases { ...Case } }
      similarCases(first: 5) { ...Case }
      cost { estimatedMonthly breakdown { item monthly } budget budgetUse }
      endpoints { name url type }
      history { at event message }
      feedback { value comment }
      resources { apiVersion kind name ready synced message }
      events { type reason message count lastSeen }
    }
  }
  ${ROW}
  ${CASE}
`;

export interface DetailNode extends Omit<RowNode, 'spec' | 'decision' | 'cost' | 'endpoints'> {
  message: string | null;
  spec: RowNode['spec'] & { repository: { url: string; ref: string }; prompt: string; region: string; policies: string[] };
  decision: {
    strategy: string;
    reason: string;
    confidence: number;
    decidedBy: string;
    model: string | null;
    alternatives: AlternativeNode[];
    citedCaseIds: string[];
    citedCases: CaseNode[];
  } | null;
  similarCases: CaseNode[];
  cost: { estimatedMonthly: number; breakdown: Array<{ item: string; monthly: number }>; budget: number | null; budgetUse: number | null } | null;
  endpoints: Array<{ name: string; url: string; type: string }>;
  history: Array<{ at: string; event: string; message: string }>;
  feedback: { value: number; comment: string | null } | null;
  resources: Array<{ apiVersion: string; kind: string; name: string; ready: boolean | null; synced: boolean | null; message: string | null }>;
  events: Array<{ type: string; reason: string; message: string; count: number; lastSeen: string | null }>;
}

export interface DeploymentData {
  deployment: DetailNode | null;
}

/** WATCH_ONE is the subscription the deployment view listens on: changes in its namespace. */
export const WATCH_ONE = /* GraphQL */ `
  subscription WatchOne($namespace: String) {
    deploymentUpdated(namespace: $namespace) { type deployment { id } }
  }
`;

export interface WatchOneData {
  deploymentUpdated: { type: string; deployment: { id: string } };
}

const FIELD_ERRORS = 'errors { field message }';

export const FEEDBACK = /* GraphQL */ `
  mutation Feedback($id: ID!, $value: Int!, $comment: String) {
    provideFeedback(id: $id, value: $value, comment: $comment) {
      deployment { id feedback { value comment } }
      ${FIELD_ERRORS}
    }
  }
`;

export interface FeedbackData {
  provideFeedback: {
    deployment: { id: string; feedback: { value: number; comment: string | null } | null } | null;
    errors: Array<{ field: string; message: string }>;
  };
}

export const PREVIEW = /* GraphQL */ `
  mutation Preview($input: DeploymentInput!) {
    previewDeployment(input: $input) {
      decision {
        strategy reason confidence decidedBy model ${ALTERNATIVE}
        estimatedMonthlyCost costBreakdown { item monthly } services citedCases { ...Case }
      }
      warnings
      ${FIELD_ERRORS}
    }
  }
  ${CASE}
`;

export interface PreviewDecisionNode {
  strategy: string;
  reason: string;
  confidence: number;
  decidedBy: string;
  model: string | null;
  alternatives: AlternativeNode[];
  estimatedMonthlyCost: number;
  costBreakdown: Array<{ item: string; monthly: number }>;
  services: string[];
  citedCases: CaseNode[];
}

export interface PreviewData {
  previewDeployment: { decision: PreviewDecisionNode | null; warnings: string[]; errors: Array<{ field: string; message: string }> };
}

export const CREATE = /* GraphQL */ `
  mutation Create($input: DeploymentInput!) {
    createDeployment(input: $input) { deployment { id } ${FIELD_ERRORS} }
  }
`;

export interface CreateData {
  createDeployment: { deployment: { id: string } | null; errors: Array<{ field: string; message: string }> };
}

export const NAMESPACES = /* GraphQL */ `
  query Namespaces { namespaces }
`;

export interface NamespacesData {
  namespaces: string[];
}

/** DOCUMENTS lists every document, for the test that checks them against the schema. */
export const DOCUMENTS = { OVERVIEW, UPDATES, DEPLOYMENT, WATCH_ONE, FEEDBACK, PREVIEW, CREATE, NAMESPACES } as const;
