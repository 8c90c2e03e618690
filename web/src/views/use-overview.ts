import { useEffect, useRef, useState } from 'react';
import { ApiError, type Api } from '../api/client.js';
import { FIRST_PAGE, OVERVIEW, PAGE_SIZE, UPDATES, type OverviewData, type UpdatesData } from '../api/operations.js';
import { toChange, toRow } from '../api/map.js';
import { applyChange, type RowChange } from '../model/overview.js';
import type { DeploymentRow } from '../model/types.js';
import { useSession } from '../hooks.js';

export type OverviewState =
  | { state: 'loading' }
  | { state: 'error'; error: string }
  | { state: 'ready'; rows: DeploymentRow[]; complete: boolean; total: number };

/** Announcement is what the live region says after an update: a phase change, an addition or a removal. */
export interface Announcement {
  text: string;
  seq: number;
}

/**
 * useOverview lists every deployment the user may see, page by page (a small
 * first page shows at once), and keeps the list live from the subscription. Changes
 * that arrive while the list loads are kept and applied on top of it.
 */
export function useOverview(): { state: OverviewState; live: boolean; announcement: Announcement | null; retry: () => void } {
  const { api, signOut } = useSession();
  const [state, setState] = useState<OverviewState>({ state: 'loading' });
  const [live, setLive] = useState(false);
  const [announcement, setAnnouncement] = useState<Announcement | null>(null);
  const [attempt, setAttempt] = useState(0);
  const rowsRef = useRef<DeploymentRow[] | null>(null);

  useEffect(() => {
    const ctl = new AbortController();
    const pending: RowChange[] = [];
    rowsRef.current = null;
    const fail = (e: unknown): void => {
      if (ctl.signal.aborted) return;
      if (e instanceof ApiError && e.status === 401) signOut(e.message);
      else setState({ state: 'error', error: e instanceof Error ? e.message : String(e) });
    };
    const stop = api.subscribe<UpdatesData>(
      UPDATES,
      { namespace: null },
      (data) => {
        const change = toChange(data.deploymentUpdated);
        const rows = rowsRef.current;
        if (rows === null) return void pending.push(change);
        const text = describe(rows, change);
        if (text !== null) setAnnouncement((a) => ({ text, seq: (a?.seq ?? 0) + 1 }));
        rowsRef.current = applyChange(rows, change);
        setState((s) => (s.state === 'ready' ? { ...s, rows: rowsRef.current ?? [] } : s));
      },
      (e) => {
        if (e.status === 401) fail(e);
      },
    );
    const unwatch = api.onLive(setLive);
    listAll(api, ctl.signal, (rows, complete, total) => {
      const all = complete ? pending.splice(0).reduce(applyChange, rows) : rows;
      if (complete) rowsRef.current = all;
      setState({ state: 'ready', rows: all, complete, total });
    }).catch(fail);
    return () => {
      ctl.abort();
      unwatch();
      stop();
    };
  }, [api, signOut, attempt]);

  return { state, live, announcement, retry: () => setAttempt((n) => n + 1) };
}

async function listAll(api: Api, signal: AbortSignal, show: (rows: DeploymentRow[], complete: boolean, total: number) => void): Promise<void> {
  const rows: DeploymentRow[] = [];
  let after: string | null = null;
  for (;;) {
    const data: OverviewData = await api.request<OverviewData>(OVERVIEW, { first: after === null ? FIRST_PAGE : PAGE_SIZE, after }, signal);
    const page = data.deployments;
    rows.push(...page.edges.map((e) => toRow(e.node)));
    const next = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    show([...rows], next === null, page.totalCount);
    if (next === null || signal.aborted) return;
    after = next;
  }
}

/** describe says what a change did to the list, or null when the row shows nothing new (a status resync). */
function describe(rows: readonly DeploymentRow[], change: RowChange): string | null {
  if (change.type === 'delete') return `${change.id} was deleted`;
  const before = rows.find((r) => r.id === change.row.id);
  if (before === undefined) return `${change.row.id} was added`;
  if (before.phase !== change.row.phase) return `${change.row.id} is now ${change.row.phase ?? 'Unknown'}`;
  const same = (Object.keys(before) as Array<keyof DeploymentRow>).every((k) => before[k] === change.row[k]);
  return same ? null : `${change.row.id} was updated`;
}
