import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BudgetChart } from '../src/views/budget-chart.js';
import { CasesTable, feedbackWords } from '../src/views/cases.js';
import { Field } from '../src/views/field.js';
import { Empty, ErrorState, Loading, PhaseBadge } from '../src/views/states.js';
import { totals } from '../src/model/overview.js';
import { row } from './fixtures.js';

const text = (html: string): string => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('BudgetChart', () => {
  const groups = totals(
    [
      row({ namespace: 'team-a', name: 'a', monthlyCost: 150, budget: 200 }),
      row({ namespace: 'team-b', name: 'b', monthlyCost: 130, budget: 100 }),
      row({ namespace: 'team-c', name: 'c', monthlyCost: 10 }),
    ],
    'namespace',
  );
  const html = renderToStaticMarkup(<BudgetChart title="Budget use per namespace" groups={groups} />);

  it('says each bar in words, so the chart reads without sight', () => {
    expect(text(html)).toBe(
      'Budget use per namespace team-a 75% · $150 of $200 team-b 130% · $130 of $100 (over budget) team-c no budget set',
    );
  });
  it('draws bars to scale, capped at the full width, hidden from screen readers', () => {
    expect(html.match(/class="bar-fill use-[a-z]+" style="width:[0-9.]+%"/g)).toEqual([
      'class="bar-fill use-ok" style="width:75%"',
      'class="bar-fill use-over" style="width:100%"',
    ]);
    expect(html.match(/aria-hidden="true"/g)).toHaveLength(2);
  });
});

describe('CasesTable', () => {
  it('shows similarity, outcome and the feedback a past deployment got', () => {
    const html = renderToStaticMarkup(
      <CasesTable
        caption="Past deployments it learned from"
        cases={[
          { id: '1', name: 'shop', framework: 'django', language: 'python', strategy: 'vm', similarity: 0.873, outcome: 'failed', failureReason: 'OOM at 512 MiB', feedback: -1, feedbackComment: 'too small', monthlyCost: 45, shared: true },
        ]}
      />,
    );
    expect(text(html)).toBe(
      'Past deployments it learned from Deployment Strategy Similarity Outcome Feedback Monthly cost shop python · django · shared vm 87% failed OOM at 512 MiB 👎 not helpful “too small” $45.00/mo',
    );
  });
  it('says when there is none', () => {
    expect(renderToStaticMarkup(<CasesTable caption="Similar" cases={[]} />)).toBe('<p>Similar: none.</p>');
    expect([1, 0, -1].map(feedbackWords)).toEqual(['👍 helpful', 'none', '👎 not helpful']);
  });
});

describe('Field', () => {
  it('labels its control and ties hint and errors to it', () => {
    const html = renderToStaticMarkup(
      <Field id="f-region" label="Region" hint="Where it runs" errors={['must be an AWS region such as eu-west-3']}>
        <input type="text" />
      </Field>,
    );
    expect(html).toBe(
      '<div class="field invalid"><label for="f-region">Region</label><input type="text" id="f-region" aria-invalid="true" aria-describedby="f-region-hint f-region-error"/>' +
        '<span id="f-region-hint" class="hint">Where it runs</span><span id="f-region-error" class="field-error">must be an AWS region such as eu-west-3</span></div>',
    );
  });
  it('says nothing of errors when there are none', () => {
    const html = renderToStaticMarkup(
      <Field id="f-name" label="Name" errors={undefined}>
        <input type="text" />
      </Field>,
    );
    expect(html).toBe('<div class="field"><label for="f-name">Name</label><input type="text" id="f-name"/></div>');
  });
});

describe('states', () => {
  it('announce loading politely and errors at once, with a way to try again', () => {
    expect(renderToStaticMarkup(<Loading what="deployments" />)).toBe('<p class="state loading" role="status" aria-live="polite">Loading deployments…</p>');
    const error = renderToStaticMarkup(<ErrorState what="deployments" error="the team API answered HTTP 502" retry={() => undefined} />);
    expect(error).toContain('role="alert"');
    expect(text(error)).toBe('Cannot load deployments: the team API answered HTTP 502 Try again');
    expect(renderToStaticMarkup(<ErrorState what="x" error="e" />)).not.toContain('button');
    expect(renderToStaticMarkup(<Empty>nothing</Empty>)).toBe('<div class="state empty">nothing</div>');
  });
  it('say a phase in words', () => {
    expect(renderToStaticMarkup(<PhaseBadge phase="Failed" />)).toBe('<span class="badge phase-failed">Failed</span>');
    expect(renderToStaticMarkup(<PhaseBadge phase={null} />)).toBe('<span class="badge phase-unknown">Unknown</span>');
  });
});
