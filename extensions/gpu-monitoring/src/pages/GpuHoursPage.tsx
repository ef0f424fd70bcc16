import React, { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { Button } from '@kubed/components';
import { gpuMonitoringRoutes, type GpuHoursReport } from '@ks-gpu-ml/contracts';
import {
  ChoiceSelect,
  DataTable,
  EmptyState,
  ErrorState,
  t,
  useCallerMay,
  type ApiError,
  type Column,
} from '@ks-gpu-ml/ui';
import { downloadFile, gpuHoursPath, useGpuHours, type Where } from '../api.js';
import { formatHours, formatPercent, formatTime } from '../format.js';
import { workspaceLinks } from '../links.js';
import { gpuCrumbs, PageFrame } from './page.js';
import { HOURS_IDS } from '../test-ids.js';
import { numberColumn, workspaceColumn } from '../components/columns.js';
import { Figure } from '../components/Figure.js';
import { Grid, Muted, Panel, Stack } from '../components/layout.js';
import { Loaded, Skeleton } from '../components/Loaded.js';
import {
  csvFileName,
  defaultReportDates,
  hoursRows,
  reportRange,
  resourceTotals,
  type HoursRow,
} from '../shape.js';

type GroupBy = GpuHoursReport['groupBy'];
const GROUP_BY_WORDS: Record<GroupBy, string> = {
  workspace: 'gpu-monitoring.level.workspace',
  namespace: 'gpu-monitoring.level.namespace',
  app: 'gpu-monitoring.hours.byApp',
  user: 'gpu-monitoring.hours.byUser',
};
const GROUP_BYS: readonly GroupBy[] = ['workspace', 'namespace', 'app', 'user'];

const Field = ({ label, children }: { label: string; children: React.ReactNode }) => (
  <label style={{ display: 'inline-flex', flexDirection: 'column', gap: 4, fontSize: 12, color: '#79879c' }}>
    {label}
    {children}
  </label>
);

const inputStyle = {
  height: 32,
  border: '1px solid #ccd3db',
  borderRadius: 4,
  padding: '0 8px',
  background: '#fff',
};

/**
 * GPU-hours allocated and utilized over a date range, by workspace or project, with the API's CSV as download.
 * A workspace page asks first whether the caller may read the workspace's GPU-hours (the same route serves JSON and
 * CSV), and offers neither report nor Download to a caller the API would refuse (docs/adr/0020). The cluster page
 * is an administrator's: its menu and links follow the cluster RoleTemplates.
 */
export function GpuHoursPage() {
  const { cluster, workspace } = useParams();
  const where: Where = useMemo(
    () => (workspace ? { scope: 'workspace', workspace } : { scope: 'cluster', cluster: cluster ?? '' }),
    [workspace, cluster],
  );
  const [dates, setDates] = useState(() => defaultReportDates(Date.now()));
  const [groupBy, setGroupBy] = useState<GroupBy>(workspace ? 'namespace' : 'workspace');
  // The moment "today" ends at: taken when the range is chosen, so the URL (and the report) stays put.
  const [now, setNow] = useState(() => Date.now());
  const [download, setDownload] = useState<{ busy: boolean; error?: ApiError }>({ busy: false });

  const mayInWorkspace = useCallerMay(
    gpuMonitoringRoutes.getWorkspaceGpuHours,
    workspace ? { scope: 'workspace', scopeName: workspace } : null,
  );
  const allowed = workspace ? mayInWorkspace : true;

  const range = reportRange(dates.start, dates.end, now);
  const url =
    range.ok && allowed ? gpuHoursPath(where, { start: range.start, end: range.end, groupBy }) : null;
  const report = useGpuHours(url);

  const change = (next: Partial<typeof dates>) => {
    setDates((d) => ({ ...d, ...next }));
    setNow(Date.now());
  };

  const onDownload = async () => {
    if (!range.ok) return;
    setDownload({ busy: true });
    try {
      const scope = workspace ? `workspace-${workspace}` : `cluster-${cluster ?? ''}`;
      await downloadFile(
        gpuHoursPath(where, { start: range.start, end: range.end, groupBy, format: 'csv' }),
        csvFileName(scope, groupBy, dates.start, dates.end),
      );
      setDownload({ busy: false });
    } catch (error) {
      setDownload({ busy: false, error: error as ApiError });
    }
  };

  // Refused: only the reason, with the way to the caller's own projects; no form, no crumb to the workspace's
  // GPU Monitoring page, which the caller may not open either.
  if (allowed === false) {
    return (
      <PageFrame testId="gpu-hours-page" title={t('gpu-monitoring.hours.title')} crumbs={[]}>
        <div data-testid={HOURS_IDS.notAllowed}>
          <EmptyState
            title={t('gpu-monitoring.hours.notAllowed')}
            description={t('gpu-monitoring.hours.notAllowedHint', { workspace: workspace ?? '' })}
          />
          <div style={{ textAlign: 'center' }}>
            <Link to={workspaceLinks(workspace ?? '').myProjects ?? ''}>{t('ui.tenantProjects.menu')}</Link>
          </div>
        </div>
      </PageFrame>
    );
  }

  return (
    <PageFrame
      testId="gpu-hours-page"
      title={t('gpu-monitoring.hours.title')}
      description={t('gpu-monitoring.hours.description')}
      crumbs={gpuCrumbs({ cluster, workspace }, { label: t('gpu-monitoring.hours.title') })}
    >
      <Stack>
        <Panel title={t('gpu-monitoring.hours.rangeTitle')}>
          <div style={{ display: 'flex', gap: 16, alignItems: 'flex-end', flexWrap: 'wrap' }}>
            {(['start', 'end'] as const).map((edge) => (
              <Field key={edge} label={t(`gpu-monitoring.hours.${edge}`)}>
                <input
                  type="date"
                  data-testid={`hours-${edge}`}
                  style={inputStyle}
                  value={dates[edge]}
                  onChange={(e) => change({ [edge]: e.target.value })}
                />
              </Field>
            ))}
            <Field label={t('gpu-monitoring.hours.groupBy')}>
              <ChoiceSelect
                testId="hours-group"
                style={inputStyle}
                value={groupBy}
                choices={GROUP_BYS}
                label={(g) => t(GROUP_BY_WORDS[g])}
                onChange={setGroupBy}
              />
            </Field>
            <Button variant="outline" onClick={() => setNow(Date.now())} disabled={!range.ok}>
              {t('gpu-monitoring.hours.reload')}
            </Button>
            {allowed && (
              <Button
                color="secondary"
                data-testid={HOURS_IDS.download}
                onClick={() => void onDownload()}
                disabled={!range.ok || download.busy}
              >
                {download.busy ? t('gpu-monitoring.hours.downloading') : t('gpu-monitoring.hours.download')}
              </Button>
            )}
          </div>
          {!range.ok && (
            <div role="alert" data-testid="hours-range-problem" style={{ color: '#ca2621', marginTop: 8 }}>
              {t(`gpu-monitoring.hours.problem.${range.problem}`, { days: 93 })}
            </div>
          )}
          {download.error && (
            <div style={{ marginTop: 8 }}>
              <ErrorState error={download.error} title={t('gpu-monitoring.hours.downloadFailed')} />
            </div>
          )}
        </Panel>
        {url && (
          <Loaded query={report} skeleton={<Skeleton cards={2} chart={false} />}>
            {(d) => <Report report={d} groupBy={d.groupBy} />}
          </Loaded>
        )}
      </Stack>
    </PageFrame>
  );
}

function Report({ report, groupBy }: { report: GpuHoursReport; groupBy: GroupBy }) {
  const rows = useMemo(() => hoursRows(report), [report]);
  const totals = useMemo(() => resourceTotals(rows, report.resources), [rows, report.resources]);
  const columns: Column<HoursRow>[] = [
    ...(groupBy === 'workspace' || groupBy === 'namespace' ? [workspaceColumn<HoursRow>()] : []),
    ...(groupBy === 'namespace' || groupBy === 'app'
      ? [
          {
            key: 'namespace',
            title: t('gpu-monitoring.col.project'),
            sortValue: (r: HoursRow) => r.namespace,
          },
        ]
      : []),
    ...(groupBy === 'app'
      ? [
          {
            key: 'appKind',
            title: t('gpu-monitoring.hours.appKind'),
            sortValue: (r: HoursRow) => r.appKind,
          },
          { key: 'app', title: t('gpu-monitoring.hours.app'), sortValue: (r: HoursRow) => r.app },
        ]
      : []),
    ...(groupBy === 'user'
      ? [
          {
            key: 'user',
            title: t('gpu-monitoring.hours.user'),
            sortValue: (r: HoursRow) => r.user,
            render: (r: HoursRow) => r.user ?? t('gpu-monitoring.hours.noUser'),
          },
        ]
      : []),
    ...report.resources.map((res) =>
      numberColumn<HoursRow>(`res:${res}`, res, (r) => r.byResource[res] ?? 0, formatHours),
    ),
    numberColumn(
      'allocated',
      t('gpu-monitoring.hours.allocated'),
      (r) => r.allocated,
      (hours) => <strong>{formatHours(hours)}</strong>,
    ),
    numberColumn('utilized', t('gpu-monitoring.hours.utilized'), (r) => r.utilized, formatHours),
    numberColumn('efficiency', t('gpu-monitoring.hours.efficiency'), (r) => r.efficiency, formatPercent),
  ];
  const { allocatedGpuHours, utilizedGpuHours } = report.totals;
  return (
    <Stack data-testid="hours-report" data-start={report.start} data-end={report.end}>
      <Grid>
        <Figure
          id="allocatedGpuHours"
          label={t('gpu-monitoring.hours.allocated')}
          text={formatHours(allocatedGpuHours)}
          value={allocatedGpuHours}
        />
        <Figure
          id="utilizedGpuHours"
          label={t('gpu-monitoring.hours.utilized')}
          text={formatHours(utilizedGpuHours)}
          value={utilizedGpuHours}
          tone="#55bc8a"
        />
        <Figure
          id="efficiency"
          label={t('gpu-monitoring.hours.efficiency')}
          text={formatPercent(allocatedGpuHours > 0 ? utilizedGpuHours / allocatedGpuHours : undefined)}
          tone="#7c5cff"
        />
        {report.resources.map((res) => (
          <Figure
            key={res}
            id={`res:${res}`}
            label={res}
            text={formatHours(totals[res])}
            value={totals[res]}
            tone="#79879c"
          />
        ))}
      </Grid>
      <Muted>
        {t('gpu-monitoring.hours.span', { start: formatTime(report.start), end: formatTime(report.end) })}
      </Muted>
      <Panel title={t('gpu-monitoring.hours.tableTitle')}>
        <DataTable<HoursRow>
          columns={columns}
          rows={rows}
          rowKey={(r) => r.key}
          searchText={(r) => `${r.workspace ?? ''} ${r.namespace ?? ''} ${r.app ?? ''} ${r.user ?? ''}`}
          initialSort={{ key: 'allocated', direction: 'desc' }}
          emptyTitle={t('gpu-monitoring.hours.empty')}
        />
      </Panel>
    </Stack>
  );
}
