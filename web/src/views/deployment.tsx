import { useEffect, type ReactNode } from 'react';
import { DEPLOYMENT, WATCH_ONE, type DeploymentData, type WatchOneData } from '../api/operations.js';
import { toDetail } from '../api/map.js';
import { formatAge, formatMonthly, formatPercent } from '../model/format.js';
import { href } from '../model/route.js';
import { phaseSteps } from '../model/timeline.js';
import type { DeploymentDetail } from '../model/types.js';
import { useLoad, useNow, useSession } from '../hooks.js';
import { ErrorState, Loading, PhaseBadge } from './states.js';
import { CostBreakdown, DecisionSection, EventsSection, HistorySection, ResourcesSection } from './deployment-sections.js';
import { FeedbackSection } from './feedback.js';

/** DeploymentPage explains one deployment and takes the team's feedback; it reloads on every watch event about it. */
export function DeploymentPage({ namespace, name }: { namespace: string; name: string }): ReactNode {
  const { api } = useSession();
  const id = `${namespace}/${name}`;
  const [load, reload] = useLoad(id, async (signal) => {
    const data = await api.request<DeploymentData>(DEPLOYMENT, { id }, signal);
    return data.deployment === null ? null : toDetail(data.deployment);
  });
  useEffect(
    () =>
      api.subscribe<WatchOneData>(
        WATCH_ONE,
        { namespace },
        (data) => data.deploymentUpdated.deployment.id === id && reload(),
        () => undefined,
      ),
    // One subscription per deployment: `reload` is a new function every render but always bumps the same state.
    [api, id, namespace],
  );
  if (load.state === 'loading') return <Loading what={id} />;
  if (load.state === 'error') return <ErrorState what={id} error={load.error} retry={reload} />;
  if (load.value === null) {
    return (
      <div className="state empty" role="alert">
        <p>No deployment {id}, or you may not read it.</p>
        <p>
          <a href={href({ page: 'overview' })}>Back to the overview</a>
        </p>
      </div>
    );
  }
  return <Detail d={load.value} onFeedback={reload} />;
}

function Detail({ d, onFeedback }: { d: DeploymentDetail; onFeedback: () => void }): ReactNode {
  const now = useNow();
  return (
    <>
      <dl className="facts">
        <div>
          <dt>Phase</dt>
          <dd>
            <PhaseBadge phase={d.phase} />
          </dd>
        </div>
        <div>
          <dt>Namespace</dt>
          <dd>{d.namespace}</dd>
        </div>
        <div>
          <dt>Strategy</dt>
          <dd>{d.strategy ?? 'deciding'}</dd>
        </div>
        <div>
          <dt>Monthly cost</dt>
          <dd>
            {formatMonthly(d.monthlyCost)}
            {d.budget === null ? '' : ` of ${formatMonthly(d.budget)} (${formatPercent(d.budgetUse)})`}
          </dd>
        </div>
        <div>
          <dt>Endpoint</dt>
          <dd>
            {d.endpoints.length === 0
              ? '—'
              : d.endpoints.map((e) => (
                  <a key={e} href={e} className="block">
                    {e}
                  </a>
                ))}
          </dd>
        </div>
        <div>
          <dt>Repository</dt>
          <dd>
            {d.repository ?? '—'} {d.ref === null ? '' : `@ ${d.ref}`}
          </dd>
        </div>
        <div>
          <dt>Region</dt>
          <dd>{d.region ?? '—'}</dd>
        </div>
        <div>
          <dt>Age</dt>
          <dd>{formatAge(d.createdAt, now)}</dd>
        </div>
      </dl>
      {d.prompt === null || d.prompt === '' ? null : <blockquote className="prompt">{d.prompt}</blockquote>}
      {d.message === null ? null : <p className="message">{d.message}</p>}
      <ol className="steps" aria-label="Lifecycle">
        {phaseSteps(d.phase, d.history).map((s) => (
          <li key={s.phase} className={`step ${s.state}`} aria-current={s.state === 'current' || s.state === 'failed' ? 'step' : undefined}>
            {s.phase}
            <span className="visually-hidden"> ({s.state})</span>
          </li>
        ))}
      </ol>
      <div className="detail-grid">
        <DecisionSection decision={d.decision} similar={d.similar} />
        <FeedbackSection id={d.id} given={d.feedback} onSaved={onFeedback} />
        <CostBreakdown items={d.costBreakdown} total={d.monthlyCost} />
        <ResourcesSection resources={d.resources} />
        <HistorySection history={d.history} />
        <EventsSection events={d.events} />
      </div>
    </>
  );
}
