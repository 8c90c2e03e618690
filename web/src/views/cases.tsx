import type { ReactNode } from 'react';
import { formatMonthly, formatPercent } from '../model/format.js';
import type { Alternative, CitedCase } from '../model/types.js';
import { Scroll } from './states.js';

/** AlternativesTable lists the strategies a decision weighed and what each would cost. */
export function AlternativesTable({ alternatives }: { alternatives: readonly Alternative[] }): ReactNode {
  if (alternatives.length === 0) return <p>No alternative was weighed.</p>;
  return (
    <table>
      <caption>Alternatives</caption>
      <thead>
        <tr>
          <th scope="col">Strategy</th>
          <th scope="col" className="num">Monthly cost</th>
          <th scope="col" className="num">Confidence</th>
          <th scope="col">Why not</th>
        </tr>
      </thead>
      <tbody>
        {alternatives.map((a) => (
          <tr key={a.strategy}>
            <th scope="row">{a.strategy}</th>
            <td className="num">{formatMonthly(a.monthlyCost)}</td>
            <td className="num">{formatPercent(a.confidence)}</td>
            <td>{a.reason}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** CasesTable lists past deployments with their similarity, outcome and the feedback their team gave. */
export function CasesTable({ cases, caption }: { cases: readonly CitedCase[]; caption: string }): ReactNode {
  if (cases.length === 0) return <p>{caption}: none.</p>;
  return (
    <Scroll label={caption}>
    <table>
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col">Deployment</th>
          <th scope="col">Strategy</th>
          <th scope="col" className="num">Similarity</th>
          <th scope="col">Outcome</th>
          <th scope="col">Feedback</th>
          <th scope="col" className="num">Monthly cost</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((c) => (
          <tr key={c.id}>
            <th scope="row">
              {c.name}
              <span className="sub">
                {c.language} · {c.framework}
                {c.shared ? ' · shared' : ''}
              </span>
            </th>
            <td>{c.strategy}</td>
            <td className="num">{formatPercent(c.similarity)}</td>
            <td className={`outcome-${c.outcome}`}>
              {c.outcome}
              {c.failureReason === null ? null : <span className="sub">{c.failureReason}</span>}
            </td>
            <td>
              {feedbackWords(c.feedback)}
              {c.feedbackComment === null ? null : <span className="sub">“{c.feedbackComment}”</span>}
            </td>
            <td className="num">{formatMonthly(c.monthlyCost)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </Scroll>
  );
}

/** feedbackWords says a feedback value in words, with its symbol only as decoration. */
export function feedbackWords(value: number): string {
  if (value > 0) return '👍 helpful';
  if (value < 0) return '👎 not helpful';
  return 'none';
}
