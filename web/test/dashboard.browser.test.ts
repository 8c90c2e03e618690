import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumSkip, launchChromium, newUser, SCREENSHOTS } from './support/browser.js';
import { seriousViolations } from './support/axe.js';
import { REPO_ROOT, startDashboard, TOKENS, type Dashboard } from './support/dashboard.js';
import { claim, composite, event, instance } from './support/seed.js';
import { appRepository } from './support/git.js';

const skip = chromiumSkip();
if (skip !== null) console.warn(`skipping the dashboard's browser tests: ${skip}`);

const CLAIMS = 'deployments.scia.io';

const SEED = [
  claim({ namespace: 'team-a', name: 'api', strategy: 'kubernetes', cost: 180, budget: 250, endpoint: 'https://api.team-a.example', xr: 'api-x7k2p' }),
  claim({ namespace: 'team-a', name: 'worker', phase: 'Provisioning', strategy: 'serverless', cost: 12.5, createdAt: '2026-11-25T09:00:00Z' }),
  claim({ namespace: 'team-a', name: 'fresh', phase: 'Analyzing', createdAt: '2026-11-26T00:00:00Z' }),
  claim({ namespace: 'team-b', name: 'billing', strategy: 'vm', cost: 95, budget: 100, endpoint: 'https://billing.team-b.example' }),
  composite('api-x7k2p', ['api-x7k2p-web', 'api-x7k2p-db']),
  instance('api-x7k2p-web', true),
  instance('api-x7k2p-db', false),
  event('team-a', 'api', 'Decided', 'kubernetes by rules (confidence 0.82)'),
  event('team-a', 'api', 'BudgetAlert', 'estimated $180/month is 72% of the budget', 'Warning'),
];

/** open loads the dashboard as a user and waits for the page named by `route` to show its heading. */
async function open(browser: Browser, dash: Dashboard, token: string, route = '/', viewport?: { width: number; height: number }): Promise<Page> {
  const page = await (await newUser(browser, viewport)).newPage();
  await page.goto(dash.pageUrl(token, route));
  return page;
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const row = (page: Page, id: string) => page.locator(`tr[data-id="${id}"]`);

describe.skipIf(skip !== null)('the dashboard in headless Chromium, on scia console and a loopback API server', () => {
  let dash: Dashboard;
  let browser: Browser;
  let app: string;

  beforeAll(async () => {
    app = appRepository(join(REPO_ROOT, 'examples/apps/flask-api'));
    [dash, browser] = await Promise.all([startDashboard(SEED, { preview: true }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await dash?.close();
    rmSync(app, { recursive: true, force: true });
  });

  it('lists the seeded claims of the user’s team with their phase, strategy, cost, endpoint, totals and budget use', async () => {
    const page = await open(browser, dash, TOKENS.alice);
    await expect.poll(() => page.locator('table.deployments tbody tr').count()).toBe(3);
    expect(await row(page, 'team-a/api').innerText()).toMatch(/api\s+team-a\s+Running\s+kubernetes\s+\$180\/mo\s+https:\/\/api\.team-a\.example/);
    expect(await row(page, 'team-a/worker').innerText()).toMatch(/worker\s+team-a\s+Provisioning\s+serverless\s+\$12\.50\/mo/);
    expect(await row(page, 'team-a/fresh').innerText()).toMatch(/fresh\s+team-a\s+Analyzing\s+deciding/);
    expect(await page.locator('.totals-table').first().locator('tfoot').innerText()).toMatch(/All\s+3\s+\$193\/mo\s+72%/);
    expect(await page.locator('figure.chart').innerText()).toContain('team-a\n72% · $180 of $250');
    await page.getByLabel('Phase').selectOption('Provisioning');
    await expect.poll(() => page.locator('table.deployments tbody tr').count()).toBe(1);
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await shot(page, 'overview');
    expect(await seriousViolations(page)).toEqual([]);
    const phone = await open(browser, dash, TOKENS.alice, '/', { width: 390, height: 844 });
    await row(phone, 'team-a/api').waitFor();
    await shot(phone, 'overview-phone');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  });

  it('changes a row’s phase live when the API server’s watch reports it, without a reload', async () => {
    const page = await open(browser, dash, TOKENS.alice);
    await page.getByText('Live', { exact: true }).waitFor();
    let loads = 0;
    page.on('load', () => loads++);
    // "Live" shows once the socket is up; the subscription may start a moment later, so the change is
    // written again, as a controller's next status update would be, until the page shows it.
    const running = claim({ namespace: 'team-a', name: 'worker', phase: 'Running', strategy: 'serverless', cost: 12.5, createdAt: '2026-11-25T09:00:00Z' });
    await expect
      .poll(async () => {
        dash.kube.put(running);
        return row(page, 'team-a/worker').locator('.badge').innerText();
      }, { interval: 500 })
      .toBe('Running');
    expect(await page.getByRole('status').filter({ hasText: 'team-a/worker is now Running' }).count()).toBe(1);
    expect(loads).toBe(0);
  });

  it('explains a deployment, and its feedback round-trips to the claim’s annotations', async () => {
    const page = await open(browser, dash, TOKENS.alice);
    await page.getByRole('link', { name: 'api', exact: true }).click();
    await page.getByRole('heading', { name: 'Decision' }).waitFor();
    expect(await page.locator('h1').evaluate((h) => h === document.activeElement)).toBe(true);
    const decision = await page.locator('section[aria-labelledby="decision-title"]').innerText();
    expect(decision).toContain('kubernetes, decided by rules with 82% confidence.');
    expect(decision).toMatch(/serverless\s+\$38\.00\/mo\s+41%\s+cold starts hurt a mobile API/);
    expect(await page.getByRole('table', { name: 'Past deployments it learned from' }).innerText()).toMatch(/orders-api[\s\S]*vm\s+\d+%\s+success\s+👍 helpful[\s\S]*flask-hooks/);
    expect(await page.locator('section[aria-labelledby="resources-title"]').innerText()).toMatch(/1 of 2 ready[\s\S]*api-x7k2p-db\s+no/);
    expect(await page.locator('.timeline li').allInnerTexts()).toHaveLength(4);
    expect(await page.locator('section[aria-labelledby="events-title"]').innerText()).toContain('BudgetAlert');
    expect(await page.locator('.steps [aria-current="step"]').count()).toBe(0);

    await page.getByLabel('No').check();
    await page.getByLabel('Comment (optional)').fill('EKS is too dear for this app');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    await page.getByText('Your team said:').waitFor();
    expect(await page.locator('.feedback-given').innerText()).toContain('👎 not helpful');
    await expect
      .poll(() => dash.kube.store.get(CLAIMS, 'team-a', 'api')?.metadata?.annotations)
      .toMatchObject({ 'scia.io/feedback': '-1', 'scia.io/feedback-comment': 'EKS is too dear for this app' });
    await shot(page, 'deployment');
    expect(await seriousViolations(page)).toEqual([]);

    await page.reload();
    await page.getByText('Your team said:').waitFor();
    expect(await page.locator('.feedback-given blockquote').innerText()).toBe('EKS is too dear for this app');
  });

  it('previews a new deployment, shows field errors at the field, then creates the claim the API server holds', async () => {
    const page = await open(browser, dash, TOKENS.alice, '/new');
    await page.getByRole('button', { name: 'Preview' }).click();
    const url = page.getByLabel('Repository URL');
    expect(await url.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#f-repository-url-error').innerText()).toBe('is required');
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('f-namespace');

    await page.getByLabel('Namespace').fill('team-a');
    await page.getByLabel('Name', { exact: true }).fill('flask-api');
    await page.getByLabel('Region').fill('eu-west-3');
    await url.fill(app);
    await page.getByLabel('Monthly ceiling (USD)').fill('200');
    await page.getByLabel('require-https').check();
    await page.getByRole('button', { name: 'Preview' }).click();
    const preview = page.locator('section.preview');
    await preview.waitFor({ timeout: 60_000 }).catch(async (e: unknown) => {
      await shot(page, 'new-deployment-failed');
      throw e;
    });
    expect(await preview.innerText()).toMatch(/SCIA would run it on (vm|kubernetes|serverless) for about \$[\d,.]+\/mo/);
    expect(dash.kube.store.get(CLAIMS, 'team-a', 'flask-api')).toBeUndefined();
    await shot(page, 'new-deployment-preview');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('button', { name: 'Create flask-api in team-a' }).click();
    await page.waitForURL(/#\/deployments\/team-a\/flask-api$/);
    const held = dash.kube.store.get(CLAIMS, 'team-a', 'flask-api');
    expect(held?.spec).toMatchObject({ region: 'eu-west-3', budget: { maxMonthlyCost: 200 }, policies: ['require-https'], strategy: 'auto' });
    await page.locator('h1', { hasText: 'flask-api' }).waitFor();
  }, 120_000);

  it('shows the API’s refusal at the form when the user may not create in a namespace', async () => {
    const page = await open(browser, dash, TOKENS.alice, '/new');
    await page.getByLabel('Namespace').fill('team-b');
    await page.getByLabel('Name', { exact: true }).fill('intruder');
    await page.getByLabel('Repository URL').fill(app);
    await page.getByRole('button', { name: 'Preview' }).click();
    const refused = page.locator('[id$="-error"], #form-error').first();
    await refused.waitFor({ timeout: 60_000 });
    await shot(page, 'new-deployment-refused');
    expect(await refused.innerText()).toMatch(/forbidden/i);
    expect(dash.kube.store.get(CLAIMS, 'team-b', 'intruder')).toBeUndefined();
  }, 120_000);

  it('shows a user of team-a nothing of team-b, and the page never asks for it', async () => {
    const context = await newUser(browser);
    const sent: string[] = [];
    context.on('request', (r) => sent.push(`${r.url()} ${r.postData() ?? ''}`));
    const page = await context.newPage();
    page.on('websocket', (ws) => ws.on('framesent', (f) => sent.push(String(f.payload))));
    await page.goto(dash.pageUrl(TOKENS.alice));
    await row(page, 'team-a/api').waitFor();
    dash.kube.put(claim({ namespace: 'team-b', name: 'billing', phase: 'Failed', strategy: 'vm', cost: 95, budget: 100 }));
    await page.getByRole('link', { name: 'api', exact: true }).click();
    await page.getByRole('heading', { name: 'Decision' }).waitFor();
    await page.goBack();
    await row(page, 'team-a/api').waitFor();
    expect(await page.locator('body').innerText()).not.toMatch(/team-b|billing/);
    expect(sent.filter((s) => s.includes('team-b'))).toEqual([]);

    const bob = await open(browser, dash, TOKENS.bob);
    await row(bob, 'team-b/billing').waitFor();
    expect(await bob.locator('table.deployments tbody tr').count()).toBe(1);
    expect(await bob.locator('body').innerText()).not.toMatch(/team-a/);
  });

  it('tells a team with no deployment yet how to create one', async () => {
    const page = await open(browser, dash, TOKENS.carol);
    await page.getByText('No deployments you may see yet.').waitFor();
    await page.getByRole('link', { name: 'Create the first one' }).click();
    await page.getByRole('heading', { name: 'New deployment' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  });

  it('works with the keyboard alone: sign in, reach a deployment, send feedback', async () => {
    const page = await (await newUser(browser)).newPage();
    await page.goto(dash.pageUrl(TOKENS.alice).replace(/#.*$/, '#/'));
    await page.waitForFunction(() => document.activeElement?.id === 'token');
    await page.keyboard.type(TOKENS.bob);
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await row(page, 'team-b/billing').waitFor();
    const focused = (): Promise<string> => page.evaluate(() => document.activeElement?.textContent ?? '');
    for (let i = 0; i < 30 && (await focused()) !== 'billing'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('billing');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Decision' }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
    for (let i = 0; i < 60 && (await page.evaluate(() => (document.activeElement as HTMLInputElement | null)?.name)) !== 'feedback'; i++) await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('fine for a billing API');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await page.getByText('Your team said:').waitFor();
    await expect.poll(() => dash.kube.store.get(CLAIMS, 'team-b', 'billing')?.metadata?.annotations?.['scia.io/feedback-comment']).toBe('fine for a billing API');
  }, 60_000);

  it('asks for a token again when the API refuses the one given', async () => {
    const page = await open(browser, dash, 'not-a-token');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('401');
    expect(await page.getByLabel('Your token').evaluate((t) => t === document.activeElement)).toBe(true);
    await shot(page, 'sign-in');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
