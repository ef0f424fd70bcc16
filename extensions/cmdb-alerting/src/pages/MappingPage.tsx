import React, { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button } from '@kubed/components';
import type { PodMapping } from '@ks-gpu-ml/contracts';
import { EmptyState, ErrorState, LoadingState, t } from '@ks-gpu-ml/ui';
import { usePodMapping } from '../api.js';
import { BusinessFields, ResolutionChain, Table } from '../components/business.js';
import { Card, Form, Hint } from '../components/kit.js';
import { Section } from '../components/Section.js';
import { ALERTING_IDS } from '../test-ids.js';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/**
 * The mapping page (cluster): an operator names any pod (project and name) and sees the business system it resolves
 * to, the source and rule behind each field, each source tried in order, and the objects read — the owner chain
 * and the namespace with the mapping keys each carries. The pod is in the URL (`?namespace=&pod=`), so a link can
 * open an explanation.
 */
export function MappingPage() {
  return (
    <Section section="mapping" testId={ALERTING_IDS.mappingPage}>
      {(scope) => <Mapping cluster={scope.kind === 'cluster' ? scope.cluster : undefined} />}
    </Section>
  );
}

function Mapping({ cluster }: { cluster: string | undefined }) {
  const [search, setSearch] = useSearchParams();
  const namespace = search.get('namespace') ?? '';
  const pod = search.get('pod') ?? '';
  const [draft, setDraft] = useState({ namespace, pod });
  const [bad, setBad] = useState(false);
  const asked = DNS_LABEL.test(namespace) && DNS_SUBDOMAIN.test(pod);
  return (
    <>
      <Form
        data-testid={ALERTING_IDS.mappingForm}
        onSubmit={(e) => {
          e.preventDefault();
          const next = { namespace: draft.namespace.trim(), pod: draft.pod.trim() };
          if (!DNS_LABEL.test(next.namespace) || !DNS_SUBDOMAIN.test(next.pod)) return setBad(true);
          setSearch(next);
        }}
      >
        <label htmlFor="mapping-namespace">{t('cmdb-alerting.mapping.namespace')}</label>
        <input
          id="mapping-namespace"
          value={draft.namespace}
          aria-invalid={bad}
          onChange={(e) => (setDraft({ ...draft, namespace: e.target.value }), setBad(false))}
        />
        <label htmlFor="mapping-pod">{t('cmdb-alerting.mapping.pod')}</label>
        <input
          id="mapping-pod"
          value={draft.pod}
          aria-invalid={bad}
          onChange={(e) => (setDraft({ ...draft, pod: e.target.value }), setBad(false))}
        />
        <Hint>
          {bad ? (
            <span style={{ color: '#ca2621' }}>{t('cmdb-alerting.mapping.invalid')}</span>
          ) : (
            t('cmdb-alerting.mapping.hint')
          )}
        </Hint>
        <span />
        <span>
          <Button type="submit" color="secondary" data-testid={ALERTING_IDS.mappingExplain}>
            {t('cmdb-alerting.mapping.explain')}
          </Button>
        </span>
      </Form>
      {asked ? (
        <Explanation namespace={namespace} pod={pod} cluster={cluster} />
      ) : (
        <EmptyState
          title={t('cmdb-alerting.mapping.none')}
          description={t('cmdb-alerting.mapping.noneHint')}
        />
      )}
    </>
  );
}

function Explanation(props: { namespace: string; pod: string; cluster: string | undefined }) {
  const mapping = usePodMapping(props.namespace, props.pod, props.cluster);
  if (mapping.error) return <ErrorState error={mapping.error} onRetry={() => void mapping.refetch()} />;
  if (!mapping.data) return <LoadingState />;
  return <Explained mapping={mapping.data} />;
}

export function Explained({ mapping }: { mapping: PodMapping }) {
  const b = mapping.business;
  return (
    <div data-testid={ALERTING_IDS.mappingResult}>
      <Card>
        <h2>
          {t('cmdb-alerting.mapping.resolvesTo', { pod: `${mapping.namespace}/${mapping.pod}` })}{' '}
          <strong data-testid={ALERTING_IDS.mappingSystem}>
            {b.unowned ? t('cmdb-alerting.business.unowned') : b.system.value}
          </strong>
        </h2>
        <div style={{ marginBottom: 12 }}>
          {t('cmdb-alerting.mapping.order', {
            order: mapping.order.map((s) => t(`cmdb-alerting.source.${s}`)).join(' → '),
          })}
        </div>
        <BusinessFields business={b} />
        {b.cmdb.stale && (
          <div style={{ marginTop: 8, color: '#f5a623' }}>{t('cmdb-alerting.business.stale')}</div>
        )}
      </Card>
      <Card>
        <h2>{t('cmdb-alerting.mapping.chain')}</h2>
        <ResolutionChain business={b} />
      </Card>
      <Card>
        <h2>{t('cmdb-alerting.mapping.objects')}</h2>
        <Table data-testid={ALERTING_IDS.mappingObjects}>
          <thead>
            <tr>
              <th>{t('cmdb-alerting.mapping.object')}</th>
              <th>{t('cmdb-alerting.mapping.keys')}</th>
            </tr>
          </thead>
          <tbody>
            {mapping.objects.map((o) => (
              <tr key={`${o.kind}/${o.name}`} data-testid={ALERTING_IDS.mappingObject}>
                <td>{`${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name}`}</td>
                <td>
                  {o.keys.length
                    ? o.keys.map((k) => (
                        <div key={`${k.where} ${k.key}`}>
                          <code>{`${t(`cmdb-alerting.mapping.where.${k.where}`)} ${k.key}=${k.value}`}</code>
                        </div>
                      ))
                    : '-'}
                </td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </div>
  );
}
