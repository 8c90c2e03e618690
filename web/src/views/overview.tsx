import { useDeferredValue, useEffect, useMemo, useState, type ReactNode } from 'react';
import { distinct, filterRows, grandTotal, NO_FILTERS, sortRows, totals, type Filters, type Total } from '../model/overview.js';
import { formatAge, formatMonthly, formatPercent } from '../model/format.js';
import { deploymentHref, href } from '../model/route.js';
import type { DeploymentRow } from '../model/types.js';
import { useNow } from '../hooks.js';
import { useOverview } from './use-overview.js';
import { BudgetChart } from './budget-chart.js';
import { Empty, ErrorState, Loading, PhaseBadge, Scroll } from './states.js';

/** OVERVIEW_PAINTED is the performance mark set when the overview first shows deployments (its first useful paint). */
export const OVERVIEW_PAINTED = 'scia:overview-painted';

/** OVERVIEW_COMPLETE is the performance mark set when every deployment and the totals are on screen. */
export const OVERVIEW_COMPLETE = 'scia:overview-complete';

/** Overview is the team's page: every deployment the user may see, filtered, totalled, live. */
export function Overview(): ReactNode {
  const { state, live, announcement, retry } = useOverview();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const rows = state.state === 'ready' ? state.rows : [];
  const sorted = useMemo(() => sortRows(rows), [rows]);
  const shown = useMemo(() => filterRows(sorted, filters), [sorted, filters]);
  const painted = state.state === 'ready';
  useEffect(() => {
    // The overview's first useful paint, for `npm run bench`: the first frame after rows (or the empty state) render.
    if (painted) requestAnimationFrame(() => performance.mark(OVERVIEW_PAINTED));
  }, [painted]);
  return (
    <>
      <p className="live" aria-live="polite" role="status">
        <span className={live ? 'dot on' : 'dot'} aria-hidden="true" />
        {live ? 'Live' : 'Connecting to live updates…'}
        <span className="visually-hidden" key={announcement?.seq}>
          {announcement?.text}
        </span>
      </p>
      {state.state === 'loading' ? <Loading what="deployments" /> : null}
      {state.state === 'error' ? <ErrorState what="deployments" error={state.error} retry={retry} /> : null}
      {state.state === 'ready' && rows.length === 0 ? (
        <Empty>
          <p>No deployments you may see yet.</p>
          <p>
            <a href={href({ page: 'new' })}>Create the first one</a>
          </p>
        </Empty>
      ) : null}
      {state.state === 'ready' && rows.length > 0 ? (
        <>
          <FilterBar rows={sorted} filters={filters} onChange={setFilters} />
          <DeploymentTable rows={shown} total={rows.length} />
          {state.complete ? (
            <TotalsSection rows={shown} />
          ) : (
            <p role="status">
              Showing {rows.length} of {state.total}; loading the rest and the totals…
            </p>
          )}
        </>
      ) : null}
    </>
  );
}

const FILTER_KEYS = [
  ['namespace', 'Namespace'],
  ['phase', 'Phase'],
  ['strategy', 'Strategy'],
] as const;

function FilterBar({ rows, filters, onChange }: { rows: DeploymentRow[]; filters: Filters; onChange: (f: Filters) => void }): ReactNode {
  return (
    <form className="filters" role="search" aria-label="Filter deployments" onSubmit={(e) => e.preventDefault()}>
      {FILTER_KEYS.map(([key, label]) => (
        <label key={key}>
          {label}
          <select value={filters[key]} onChange={(e) => onChange({ ...filters, [key]: e.target.value })}>
            <option value="">All</option>
            {distinct(rows, key).map((v) => (
              <option key={v} value={v}>
                {v}
              </option>
            ))}
          </select>
        </label>
      ))}
      {FILTER_KEYS.every(([key]) => filters[key] === '') ? null : (
        <button type="button" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </button>
      )}
    </form>
  );
}

/** FIRST_ROWS is how many rows the table shows in its first frame; the rest follow in the background. */
const FIRST_ROWS = 60;

function DeploymentTable({ rows: all, total }: { rows: DeploymentRow[]; total: number }): ReactNode {
  const now = useNow();
  // A screenful paints at once; React renders the other rows (of 1,000 or more) as a deferred update.
  const rows = useDeferredValue(all, all.slice(0, FIRST_ROWS));
  const whole = rows.length === all.length && all.length === total;
  useEffect(() => {
    if (whole) requestAnimationFrame(() => performance.getEntriesByName(OVERVIEW_COMPLETE).length > 0 || performance.mark(OVERVIEW_COMPLETE));
  }, [whole]);
  return (
    <table className="deployments responsive">
      <caption>
        Deployments ({all.length === total ? total : `${all.length} of ${total}`})
      </caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Namespace</th>
          <th scope="col">Phase</th>
          <th scope="col">Strategy</th>
          <th scope="col" className="num">Monthly cost</th>
          <th scope="col">Endpoint</th>
          <th scope="col">Age</th>
        </tr>
      </thead>
      <tbody>
        {all.length === 0 ? (
          <tr>
            <td colSpan={7}>No deployment matches these filters.</td>
          </tr>
        ) : null}
        {rows.map((r) => (
          <tr key={r.id} data-id={r.id}>
            <th scope="row" data-label="Name">
              <a href={deploymentHref(r.id)}>{r.name}</a>
            </th>
            <td data-label="Namespace">{r.namespace}</td>
            <td data-label="Phase">
              <PhaseBadge phase={r.phase} />
            </td>
            <td data-label="Strategy">{r.strategy ?? 'deciding'}</td>
            <td data-label="Monthly cost" className="num">
              {formatMonthly(r.monthlyCost)}
            </td>
            <td data-label="Endpoint" className="endpoint">
              {r.endpoint === null ? '—' : <a href={r.endpoint}>{r.endpoint}</a>}
            </td>
            <td data-label="Age">
              <time dateTime={r.createdAt ?? undefined}>{formatAge(r.createdAt, now)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function TotalsSection({ rows }: { rows: DeploymentRow[] }): ReactNode {
  const byNamespace = useMemo(() => totals(rows, 'namespace'), [rows]);
  const byStrategy = useMemo(() => totals(rows, 'strategy'), [rows]);
  return (
    <section aria-labelledby="totals-title" className="totals">
      <h2 id="totals-title">Totals</h2>
      <div className="totals-grid">
        <TotalsTable title="Per namespace" groups={byNamespace} />
        <TotalsTable title="Per strategy" groups={byStrategy} />
        <BudgetChart title="Budget use per namespace" groups={byNamespace} />
      </div>
    </section>
  );
}

function TotalsTable({ title, groups }: { title: string; groups: Total[] }): ReactNode {
  const all = grandTotal(groups);
  return (
    <Scroll label={title}>
    <table className="totals-table">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th scope="col">Group</th>
          <th scope="col" className="num">Count</th>
          <th scope="col" className="num">Monthly</th>
          <th scope="col" className="num">Budget use</th>
        </tr>
      </thead>
      <tbody>
        {groups.map((g) => (
          <TotalRow key={g.key} t={g} header={g.key} />
        ))}
      </tbody>
      <tfoot>
        <TotalRow t={all} header="All" />
      </tfoot>
    </table>
    </Scroll>
  );
}

function TotalRow({ t, header }: { t: Total; header: string }): ReactNode {
  return (
    <tr>
      <th scope="row">{header}</th>
      <td className="num">{t.count}</td>
      <td className="num">{formatMonthly(t.monthly)}</td>
      <td className="num">{formatPercent(t.use)}</td>
    </tr>
  );
}
