import type { ReactNode } from 'react';
import { formatMonthly, formatPercent, formatTime } from '../model/format.js';
import { sortHistory, toneOf } from '../model/timeline.js';
import type { CitedCase, ComposedResource, CostItem, Decision, HistoryEntry, KubeEvent } from '../model/types.js';
import { AlternativesTable, CasesTable } from './cases.js';

/** DecisionSection explains a decision: what was chosen, why, how sure, what else was weighed, and what it learned from. */
export function DecisionSection({ decision, similar }: { decision: Decision | null; similar: readonly CitedCase[] }): ReactNode {
  return (
    <section aria-labelledby="decision-title" className="card wide">
      <h2 id="decision-title">Decision</h2>
      {decision === null ? (
        <p>Not decided yet.</p>
      ) : (
        <>
          <p className="decision">
            <strong>{decision.strategy}</strong>, decided by {decision.decidedBy}
            {decision.model === null ? '' : ` (${decision.model})`} with {formatPercent(decision.confidence)} confidence.
          </p>
          <p>{decision.reason}</p>
          <AlternativesTable alternatives={decision.alternatives} />
          <CasesTable cases={decision.cases} caption="Past deployments it learned from" />
        </>
      )}
      {decision === null || decision.cases.length === 0 ? <CasesTable cases={similar} caption="Similar past deployments" /> : null}
    </section>
  );
}

/** CostBreakdown lists what the monthly estimate is made of. */
export function CostBreakdown({ items, total }: { items: readonly CostItem[]; total: number | null }): ReactNode {
  return (
    <section aria-labelledby="cost-title" className="card">
      <h2 id="cost-title">Cost</h2>
      {items.length === 0 ? (
        <p>No estimate yet.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Estimated monthly cost by item</caption>
          <thead>
            <tr>
              <th scope="col">Item</th>
              <th scope="col" className="num">Monthly</th>
            </tr>
          </thead>
          <tbody>
            {items.map((c) => (
              <tr key={c.item}>
                <th scope="row">{c.item}</th>
                <td className="num">{formatMonthly(c.monthly)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">Total</th>
              <td className="num">{formatMonthly(total)}</td>
            </tr>
          </tfoot>
        </table>
      )}
    </section>
  );
}

function yesNo(v: boolean | null): string {
  return v === null ? 'unknown' : v ? 'yes' : 'no';
}

/** ResourcesSection lists the composed resources and whether each is ready and synced. */
export function ResourcesSection({ resources }: { resources: readonly ComposedResource[] }): ReactNode {
  const ready = resources.filter((r) => r.ready === true).length;
  return (
    <section aria-labelledby="resources-title" className="card">
      <h2 id="resources-title">Resources</h2>
      {resources.length === 0 ? (
        <p>Nothing composed yet.</p>
      ) : (
        <table>
          <caption>
            {ready} of {resources.length} ready
          </caption>
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Name</th>
              <th scope="col">Ready</th>
              <th scope="col">Synced</th>
            </tr>
          </thead>
          <tbody>
            {resources.map((r) => (
              <tr key={`${r.apiVersion}/${r.kind}/${r.name}`}>
                <td>{r.kind}</td>
                <th scope="row">
                  {r.name}
                  {r.message === null ? null : <span className="sub">{r.message}</span>}
                </th>
                <td className={`ready-${yesNo(r.ready)}`}>{yesNo(r.ready)}</td>
                <td>{yesNo(r.synced)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** HistorySection shows the deployment's history as a timeline, oldest first. */
export function HistorySection({ history }: { history: readonly HistoryEntry[] }): ReactNode {
  return (
    <section aria-labelledby="history-title" className="card">
      <h2 id="history-title">History</h2>
      {history.length === 0 ? (
        <p>No history yet.</p>
      ) : (
        <ol className="timeline">
          {sortHistory(history).map((h, i) => (
            <li key={`${h.at}-${i}`} className={`tone-${toneOf(h.event)}`}>
              <time dateTime={h.at}>{formatTime(h.at)}</time>
              <strong>{h.event}</strong>
              <span>{h.message}</span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

/** EventsSection lists recent Kubernetes events, newest first, as the API returns them. */
export function EventsSection({ events }: { events: readonly KubeEvent[] }): ReactNode {
  return (
    <section aria-labelledby="events-title" className="card wide">
      <h2 id="events-title">Events</h2>
      {events.length === 0 ? (
        <p>No recent events.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Recent events, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Type</th>
              <th scope="col">Reason</th>
              <th scope="col">Message</th>
              <th scope="col" className="num">Count</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {events.map((e, i) => (
              <tr key={`${e.reason}-${i}`} className={`tone-${toneOf(e.reason, e.type)}`}>
                <td>{e.type}</td>
                <th scope="row">{e.reason}</th>
                <td>{e.message}</td>
                <td className="num">{e.count}</td>
                <td>{formatTime(e.at)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
