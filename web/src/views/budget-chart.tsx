import type { ReactNode } from 'react';
import type { Total } from '../model/overview.js';
import { useLevel } from '../model/overview.js';
import { formatMoney, formatPercent } from '../model/format.js';

/**
 * BudgetChart draws each group's budget use as a bar; the bar's text says the
 * same in words, so the chart reads without sight. Groups without a budget are
 * listed as such rather than drawn empty.
 */
export function BudgetChart({ groups, title }: { groups: readonly Total[]; title: string }): ReactNode {
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <ul className="bars">
        {groups.map((g) => (
          <li key={g.key}>
            <span className="bar-label">{g.key}</span>
            {g.use === null ? (
              <span className="bar-text">no budget set</span>
            ) : (
              <>
                <span className="bar-track" aria-hidden="true">
                  <span className={`bar-fill use-${useLevel(g.use)}`} style={{ width: `${Math.min(100, g.use * 100)}%` }} />
                </span>
                <span className="bar-text">
                  {formatPercent(g.use)} · {formatMoney(g.budgetedCost)} of {formatMoney(g.budget)}
                  {g.use > 1 ? ' (over budget)' : ''}
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
    </figure>
  );
}
