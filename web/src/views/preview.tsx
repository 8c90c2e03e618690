import type { ReactNode } from 'react';
import type { PreviewData } from '../api/operations.js';
import { casesOf } from '../api/map.js';
import { formatMonthly, formatPercent } from '../model/format.js';
import { AlternativesTable, CasesTable } from './cases.js';

type PreviewDecision = NonNullable<PreviewData['previewDeployment']['decision']>;

/** PreviewPanel shows what SCIA would do with the form's claim: nothing is applied yet. */
export function PreviewPanel({ decision, warnings }: { decision: PreviewDecision; warnings: readonly string[] }): ReactNode {
  return (
    <>
      <p className="decision">
        SCIA would run it on <strong>{decision.strategy}</strong> for about <strong>{formatMonthly(decision.estimatedMonthlyCost)}</strong>, decided by{' '}
        {decision.decidedBy} with {formatPercent(decision.confidence)} confidence.
      </p>
      <p>{decision.reason}</p>
      <p>Services the app needs: {decision.services.length === 0 ? 'none beyond compute' : decision.services.join(', ')}.</p>
      {warnings.length === 0 ? null : (
        <ul className="warnings" aria-label="Warnings">
          {warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      <table>
        <caption>Cost breakdown</caption>
        <thead>
          <tr>
            <th scope="col">Item</th>
            <th scope="col" className="num">Monthly</th>
          </tr>
        </thead>
        <tbody>
          {decision.costBreakdown.map((c) => (
            <tr key={c.item}>
              <th scope="row">{c.item}</th>
              <td className="num">{formatMonthly(c.monthly)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <AlternativesTable alternatives={decision.alternatives.map((a) => ({ ...a, monthlyCost: a.estimatedMonthlyCost }))} />
      <CasesTable cases={casesOf(decision.citedCases)} caption="Past deployments it learned from" />
    </>
  );
}
