/** The pipeline's context keys: each step reads what earlier steps wrote. */
export const ContextKey = {
  analysis: 'scia.io/analysis',
  similar: 'scia.io/similar',
  decision: 'scia.io/decision',
} as const;

/** The claim annotations that carry a team's feedback on a deployment. */
export const Annotation = {
  feedback: 'scia.io/feedback',
  feedbackComment: 'scia.io/feedback-comment',
} as const;

/** API group and kinds of the Deployment API. */
export const Api = {
  group: 'scia.io',
  version: 'v1alpha1',
  apiVersion: 'scia.io/v1alpha1',
  compositeKind: 'XDeployment',
  claimKind: 'Deployment',
} as const;
