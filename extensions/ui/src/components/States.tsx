import React from 'react';
import { Button, Empty, Loading } from '@kubed/components';
import styled from 'styled-components';
import type { ApiError } from '../api-error.js';
import { t } from '../i18n.js';
import { UI_IDS } from '../test-ids.js';

const Center = styled.div`
  display: flex;
  flex-direction: column;
  align-items: center;
  justify-content: center;
  gap: 12px;
  padding: 40px 16px;
  color: #79879c;
`;

export function LoadingState({ label }: { label?: string }) {
  return (
    <Center role="status" aria-busy="true" data-testid={UI_IDS.stateLoading}>
      <Loading size="md" />
      <span>{label ?? t('ui.loading')}</span>
    </Center>
  );
}

export function EmptyState({ title, description }: { title?: string; description?: string }) {
  return (
    <Center data-testid={UI_IDS.stateEmpty}>
      <Empty title={title ?? t('ui.empty.title')} description={description} />
    </Center>
  );
}

const ErrorBox = styled.div`
  border: 1px solid #f6c5c5;
  background: #fff5f5;
  border-radius: 4px;
  padding: 12px 16px;
  color: #ab2f2f;
  word-break: break-word;
`;
const ErrorTitle = styled.div`
  font-weight: 600;
  margin-bottom: 4px;
`;

/** Shows what the server said (its message and reason) and the HTTP status, with an optional retry. */
export function ErrorState({
  error,
  title,
  onRetry,
}: {
  error: ApiError;
  title?: string;
  onRetry?: () => void;
}) {
  const status = error.status
    ? `HTTP ${error.status}${error.reason ? ` ${error.reason}` : ''}`
    : t('ui.error.network');
  return (
    <ErrorBox role="alert" data-testid={UI_IDS.stateError}>
      <ErrorTitle>{title ?? t('ui.error.title')}</ErrorTitle>
      <div data-testid={UI_IDS.stateErrorMessage}>{error.message || t('ui.error.noMessage')}</div>
      <div style={{ fontSize: 12, marginTop: 4, color: '#79879c' }}>{status}</div>
      {onRetry && (
        <Button size="sm" variant="outline" style={{ marginTop: 8 }} onClick={onRetry}>
          {t('ui.retry')}
        </Button>
      )}
    </ErrorBox>
  );
}
