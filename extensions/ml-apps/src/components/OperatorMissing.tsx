import React from 'react';
import styled from 'styled-components';
import type { MlOperator } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import { ML_IDS } from '../test-ids.js';

const Box = styled.div`
  background: #fff;
  border-left: 4px solid #f5a623;
  border-radius: 4px;
  padding: 16px 20px;
`;

/** What a page shows instead of failing when the cluster does not serve its kind: what to install. */
export function OperatorMissing({ operator }: { operator: MlOperator }) {
  return (
    <Box data-testid={ML_IDS.operatorMissing} role="alert">
      <strong>{t('ml-apps.operator.missing', { kind: operator.kind })}</strong>
      <p>{t(`ml-apps.operator.${operator.id}.install`)}</p>
      <code>{`${operator.resource}.${operator.group}/${operator.version}`}</code>
    </Box>
  );
}
