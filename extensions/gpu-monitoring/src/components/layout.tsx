// The boxes the gpu-monitoring pages are laid out with: a vertical stack, a grid of figures, a titled panel, muted
// text and the "as of" line under a page's figures.
import React from 'react';
import styled from 'styled-components';
import { t } from '@ks-gpu-ml/ui';
import { formatTime } from '../format.js';

export const Stack = styled.div`
  display: flex;
  flex-direction: column;
  gap: 16px;
`;
export const Muted = styled.div`
  color: #79879c;
  font-size: 12px;
`;

/** "As of <time>" under a page's figures. */
export function AsOf({ time, style }: { time: number; style?: React.CSSProperties }) {
  return <Muted style={style}>{t('gpu-monitoring.asOf', { time: formatTime(time) })}</Muted>;
}

export const Grid = styled.div<{ min?: number }>`
  display: grid;
  grid-template-columns: repeat(auto-fit, minmax(${(p) => p.min ?? 180}px, 1fr));
  gap: 12px;
`;
const Section = styled.section`
  background: #fff;
  border-radius: 4px;
  box-shadow: 0 4px 8px 0 rgba(36, 46, 66, 0.06);
  padding: 16px;
  h2 {
    font-size: 14px;
    font-weight: 600;
    color: #242e42;
    margin: 0 0 12px;
    display: flex;
    align-items: center;
    justify-content: space-between;
    gap: 12px;
  }
  a {
    color: #3385ff;
  }
  select {
    height: 28px;
    border: 1px solid #ccd3db;
    border-radius: 4px;
    background: #fff;
    font-weight: normal;
  }
`;

/** A titled box of a page, with `extra` (a picker, a link) at the right of its title. */
export function Panel({
  title,
  extra,
  children,
  testId,
}: {
  title: string;
  extra?: React.ReactNode;
  children: React.ReactNode;
  testId?: string;
}) {
  return (
    <Section data-testid={testId}>
      <h2>
        <span>{title}</span>
        {extra}
      </h2>
      {children}
    </Section>
  );
}
