// The data-testid values of the gpu-monitoring GPU-hours page, in one place for the component tests (*.test.tsx)
// and the browser tests. The page still writes them as literals (its files are being reworked in issue #12); a
// renamed id fails GpuHoursPage.test.tsx, which selects by these constants.
export const HOURS_IDS = {
  page: 'gpu-hours-page',
  start: 'hours-start',
  end: 'hours-end',
  groupBy: 'hours-group',
  download: 'hours-download',
  rangeProblem: 'hours-range-problem',
  report: 'hours-report',
  notAllowed: 'hours-not-allowed',
} as const;
