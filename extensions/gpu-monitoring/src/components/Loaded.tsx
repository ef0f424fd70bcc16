// What a page shows while its data loads or when it failed: grey blocks, then the content or the server's error.
import React from 'react';
import styled from 'styled-components';
import { ErrorState, t, type ApiError } from '@ks-gpu-ml/ui';
import { Grid } from './layout.js';

export const Bone = styled.div<{ h: number }>`
  height: ${(p) => p.h}px;
  border-radius: 4px;
  background: #eef2f6;
`;

/** Grey blocks where figures and a chart will be, while the first answer is on its way. */
export function Skeleton({ cards = 4, chart = true }: { cards?: number; chart?: boolean }) {
  return (
    <div role="status" aria-busy="true" aria-label={t('gpu-monitoring.loading')} data-testid="skeleton">
      <Grid>
        {Array.from({ length: cards }, (_, i) => (
          <Bone key={i} h={72} />
        ))}
      </Grid>
      {chart && <Bone h={200} style={{ marginTop: 12 }} />}
    </div>
  );
}

/** What a page reads: react-query's answer, as far as Loaded looks at it. */
export interface Query<T> {
  data?: T | undefined;
  error: ApiError | null;
  refetch: () => unknown;
}

/** Loading (skeleton), error (the server's message; retry refetches, or does `onRetry`) or the content. */
export function Loaded<T>({
  query,
  children,
  skeleton,
  onRetry,
}: {
  query: Query<T>;
  children: (data: T) => React.ReactNode;
  skeleton?: React.ReactNode;
  onRetry?: () => void;
}) {
  if (query.error)
    return (
      <ErrorState
        error={query.error}
        title={t('gpu-monitoring.loadFailed')}
        onRetry={onRetry ?? (() => void query.refetch())}
      />
    );
  if (query.data === undefined) return <>{skeleton ?? <Skeleton cards={0} />}</>;
  return <>{children(query.data)}</>;
}
