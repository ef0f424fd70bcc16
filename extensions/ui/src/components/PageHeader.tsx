import React from 'react';
import { Link } from 'react-router-dom';
import styled from 'styled-components';
import { UI_IDS } from '../test-ids.js';

export interface Crumb {
  label: string;
  /** Router path; the last crumb (the current page) usually has none. */
  to?: string;
}

export interface PageHeaderProps {
  title: string;
  description?: string;
  breadcrumbs?: Crumb[];
  /** Buttons and pickers shown on the right. */
  actions?: React.ReactNode;
}

const Header = styled.header`
  display: flex;
  align-items: flex-end;
  justify-content: space-between;
  gap: 16px;
  margin-bottom: 20px;
`;
const Crumbs = styled.nav`
  font-size: 12px;
  color: #79879c;
  margin-bottom: 4px;
  a {
    color: #3385ff;
  }
`;
const Title = styled.h1`
  font-size: 20px;
  font-weight: 600;
  line-height: 1.4;
  color: #242e42;
  margin: 0;
`;
const Description = styled.p`
  margin: 4px 0 0;
  color: #79879c;
`;

export function PageHeader({ title, description, breadcrumbs = [], actions }: PageHeaderProps) {
  return (
    <Header data-testid={UI_IDS.pageHeader}>
      <div>
        {breadcrumbs.length > 0 && (
          <Crumbs aria-label="breadcrumb">
            {breadcrumbs.map((crumb, i) => (
              <React.Fragment key={`${i}-${crumb.label}`}>
                {i > 0 && ' / '}
                {crumb.to ? <Link to={crumb.to}>{crumb.label}</Link> : <span>{crumb.label}</span>}
              </React.Fragment>
            ))}
          </Crumbs>
        )}
        <Title>{title}</Title>
        {description && <Description>{description}</Description>}
      </div>
      {actions && <div>{actions}</div>}
    </Header>
  );
}
