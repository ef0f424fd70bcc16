import React from 'react';
import styled from 'styled-components';
import type { GpuQuotaProblem } from '@ks-gpu-ml/contracts';

const List = styled.ul<{ $tone: 'error' | 'warning' }>`
  margin: 0 0 12px;
  padding: 8px 12px 8px 28px;
  border-radius: 4px;
  border: 1px solid ${(p) => (p.$tone === 'error' ? '#f6c5c5' : '#f5d98b')};
  background: ${(p) => (p.$tone === 'error' ? '#fff5f5' : '#fffaeb')};
  color: ${(p) => (p.$tone === 'error' ? '#ab2f2f' : '#8a5a00')};
`;

/** The server's problems or warnings, each message as it was given. */
export function Problems({
  items,
  tone,
  testId,
}: {
  items: readonly Pick<GpuQuotaProblem, 'message' | 'code'>[];
  tone: 'error' | 'warning';
  testId: string;
}) {
  if (items.length === 0) return null;
  return (
    <List $tone={tone} role={tone === 'error' ? 'alert' : 'status'} data-testid={testId}>
      {items.map((p, i) => (
        <li key={`${i}-${p.code}`} data-code={p.code}>
          {p.message}
        </li>
      ))}
    </List>
  );
}
