// The business mapping as the pages show it (docs/adr/0039): each enriched field with the source and the rule that
// set it, and each step of the resolution chain with its outcome. Shared by the mapping page and the alert detail.
import React from 'react';
import styled from 'styled-components';
import type { AlertBusiness } from '@ks-gpu-ml/contracts';
import { t } from '@ks-gpu-ml/ui';
import { ALERTING_IDS } from '../test-ids.js';
import { Badge, Card as KitCard } from './kit.js';

export const Table = styled.table`
  width: 100%;
  border-collapse: collapse;
  font-size: 12px;
  th,
  td {
    text-align: left;
    padding: 6px 8px;
    border-bottom: 1px solid #e3e9ef;
    vertical-align: top;
  }
  th {
    color: #79879c;
    font-weight: normal;
  }
  code {
    font-size: 12px;
    /* The console styles code as inline markdown (coloured, between backticks); a rule here is plain text. */
    color: inherit;
    background: none;
    &::before,
    &::after {
      content: none;
    }
  }
  .nowrap {
    white-space: nowrap;
  }
`;

const OUTCOME_COLORS: Record<string, string> = {
  matched: 'resolved',
  'no-match': 'expired',
  skipped: 'expired',
  error: 'error',
};

/** A contact as one line: name, role, WeCom id, mobile, email (whatever the source gave). */
export const contactText = (c: AlertBusiness['owners']['value'][number]): string =>
  [
    c.name,
    c.role ? `(${c.role})` : '',
    c.wecomUserId && c.wecomUserId !== c.name ? `WeCom ${c.wecomUserId}` : '',
    c.mobile ?? '',
    c.email ?? '',
  ]
    .filter(Boolean)
    .join(' ');

export const sourceText = (source: string) => t(`cmdb-alerting.source.${source}`);

/** One row per enriched field: its value, its source and the rule that set it. */
export function BusinessFields({ business }: { business: AlertBusiness }) {
  const rows: { field: string; value: string; source: string; rule: string }[] = [
    {
      field: 'system',
      value: business.system.value,
      source: business.system.provenance.source,
      rule: business.system.provenance.rule,
    },
    ...(business.importance
      ? [
          {
            field: 'importance',
            value: business.importance.value,
            source: business.importance.provenance.source,
            rule: business.importance.provenance.rule,
          },
        ]
      : []),
    {
      field: 'owners',
      value: business.owners.value.map(contactText).join('; ') || '-',
      source: business.owners.provenance.source,
      rule: business.owners.provenance.rule,
    },
    {
      field: 'workloads',
      value: business.workloads.value.map((w) => `${w.kind} ${w.namespace}/${w.name}`).join(' ← ') || '-',
      source: business.workloads.provenance.source,
      rule: business.workloads.provenance.rule,
    },
    ...(business.cluster
      ? [
          {
            field: 'cluster',
            value: business.cluster.value,
            source: business.cluster.provenance.source,
            rule: business.cluster.provenance.rule,
          },
        ]
      : []),
  ];
  return (
    <Table data-testid={ALERTING_IDS.businessFields}>
      <thead>
        <tr>
          <th>{t('cmdb-alerting.business.field')}</th>
          <th>{t('cmdb-alerting.business.value')}</th>
          <th>{t('cmdb-alerting.business.source')}</th>
          <th>{t('cmdb-alerting.business.rule')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.field} data-testid={ALERTING_IDS.businessField(r.field)}>
            <td>{t(`cmdb-alerting.business.field.${r.field}`)}</td>
            <td>{r.value}</td>
            <td>{sourceText(r.source)}</td>
            <td>
              <code>{r.rule}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}

/** Each source tried, in order: matched, no match, skipped or failed, with the rule it read and what it found. */
export function ResolutionChain({ business }: { business: AlertBusiness }) {
  return (
    <Table data-testid={ALERTING_IDS.resolutionChain}>
      <thead>
        <tr>
          <th>#</th>
          <th>{t('cmdb-alerting.business.source')}</th>
          <th>{t('cmdb-alerting.business.outcome')}</th>
          <th>{t('cmdb-alerting.business.rule')}</th>
          <th>{t('cmdb-alerting.business.detail')}</th>
        </tr>
      </thead>
      <tbody>
        {business.chain.map((s, i) => (
          <tr key={i} data-testid={ALERTING_IDS.resolutionStep}>
            <td>{i + 1}</td>
            <td>{sourceText(s.source)}</td>
            <td className="nowrap">
              <Badge
                value={OUTCOME_COLORS[s.outcome] ?? 'expired'}
                label={t(`cmdb-alerting.outcome.${s.outcome}`)}
              />
            </td>
            <td>
              <code>{s.rule}</code>
            </td>
            <td>
              {s.detail
                ? s.detail.startsWith('CMDB_')
                  ? t(`cmdb-alerting.cmdbError.${s.detail}`)
                  : s.detail
                : '-'}
            </td>
          </tr>
        ))}
        {business.unowned && (
          <tr data-testid={ALERTING_IDS.resolutionStep}>
            <td>{business.chain.length + 1}</td>
            <td>{sourceText('unowned')}</td>
            <td>
              <Badge value="pending" label={t('cmdb-alerting.outcome.unowned')} />
            </td>
            <td>
              <code>{business.system.provenance.rule}</code>
            </td>
            <td>-</td>
          </tr>
        )}
      </tbody>
    </Table>
  );
}

const Card = styled(KitCard)`
  h3 {
    font-size: 12px;
    color: #79879c;
    margin: 12px 0 4px;
  }
`;

/** The impact line in the console's language (the escalation keeps both). */
export const impactText = (business: AlertBusiness): string =>
  t('cmdb-alerting.business.language') === 'zh' ? business.impact.zh : business.impact.en;

/**
 * The alert detail's business section: the system, importance, owners, workloads and cluster with the source and
 * rule behind each, the impact line, whether the CMDB's part is the last known mapping, and each step tried.
 */
export function BusinessCard({ business }: { business: AlertBusiness }) {
  return (
    <Card data-testid={ALERTING_IDS.alertBusiness}>
      <h2>{t('cmdb-alerting.business.title')}</h2>
      <div style={{ marginBottom: 12 }} data-testid={ALERTING_IDS.alertImpact}>
        {impactText(business)}
      </div>
      {business.cmdb.stale && (
        <div style={{ marginBottom: 8, color: '#f5a623' }}>{t('cmdb-alerting.business.stale')}</div>
      )}
      <BusinessFields business={business} />
      <h3>{t('cmdb-alerting.mapping.chain')}</h3>
      <ResolutionChain business={business} />
      <div style={{ fontSize: 12, color: '#79879c', marginTop: 8 }}>
        {t('cmdb-alerting.business.snapshot')}
      </div>
    </Card>
  );
}

/** One business column of the alerts table, from the alert's escalation (with the rule as the cell's tooltip). */
export function BusinessText({
  business,
  part,
  fallback,
}: {
  business: AlertBusiness | undefined;
  part: 'system' | 'importance' | 'owners';
  fallback?: string;
}) {
  if (!business) return <span>{fallback || '-'}</span>;
  const field =
    part === 'system' ? business.system : part === 'importance' ? business.importance : business.owners;
  if (!field) return <span>-</span>;
  const text =
    part === 'owners'
      ? business.owners.value.map((o) => o.name).join(', ') || '-'
      : part === 'system' && business.unowned
        ? t('cmdb-alerting.business.unowned')
        : String(field.value);
  return (
    <span
      data-testid={ALERTING_IDS.alertBusinessCell(part)}
      title={`${sourceText(field.provenance.source)}: ${field.provenance.rule}`}
    >
      {text}
    </span>
  );
}
