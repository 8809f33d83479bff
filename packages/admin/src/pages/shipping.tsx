import type { ResponseOf } from '@shopstack/api-client';
import { useState } from 'react';
import { messageOf, unwrap } from '../api.js';
import { MethodForm, RateForm, ZoneForm } from '../components/shipping-forms.js';
import { Card, ConfirmDialog, Empty, ErrorMessage, Loading, PageHeader } from '../components/ui.js';
import { formatMoney } from '../money.js';
import { useApi } from '../session.js';
import { useCurrency } from '../store-currency.js';
import { useLoad } from '../use-load.js';

type Zone = ResponseOf<'adminListShippingZones'>['zones'][number];
type Method = Zone['methods'][number];

const SHOWN_COUNTRIES = 16;

/** A zone's countries as chips; a long list (the rest of the world) folds away after the first few. */
function Countries({ countries }: { countries: string[] }) {
  const chips = (list: string[]) =>
    list.map((c) => (
      <span key={c} className="chip">
        {c}
      </span>
    ));
  if (countries.length <= SHOWN_COUNTRIES) return <p className="chips">{chips(countries)}</p>;
  return (
    <div className="stack">
      <p className="chips">{chips(countries.slice(0, SHOWN_COUNTRIES))}</p>
      <details>
        <summary>and {countries.length - SHOWN_COUNTRIES} more countries</summary>
        <p className="chips">{chips(countries.slice(SHOWN_COUNTRIES))}</p>
      </details>
    </div>
  );
}

interface PendingDelete {
  title: string;
  run: () => Promise<unknown>;
}

/** Shipping zones (countries), their methods (standard, express) and each method's rates by weight. */
export default function Shipping() {
  const api = useApi();
  const { currency } = useCurrency();
  const zones = useLoad(async () => unwrap(await api.GET('/api/shipping/admin/zones')).zones, 'zones');
  const [editing, setEditing] = useState<string | null>(null);
  const [pending, setPending] = useState<PendingDelete | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function confirmDelete() {
    if (!pending) return;
    setBusy(true);
    setError(null);
    try {
      await pending.run();
      setPending(null);
      zones.reload();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  const saved = () => {
    setEditing(null);
    zones.reload();
  };

  // A function, not a component: a component declared here would be a new type on every render,
  // and React would throw away the open forms and what was typed in them.
  function methodBlock(zone: Zone, method: Method) {
    const editingThis = editing === `method-${method.id}`;
    return (
      <div className="method" key={method.id}>
        <div className="method-head">
          <div>
            <h3>
              {method.name} <code className="muted">{method.code}</code>
            </h3>
            <p className="muted">
              {method.estimatedDays
                ? `${method.estimatedDays.minDays}–${method.estimatedDays.maxDays} days`
                : 'No delivery estimate'}
              {method.freeShippingThreshold &&
                ` · free over ${formatMoney(method.freeShippingThreshold.amount, method.freeShippingThreshold.currency)}`}
            </p>
          </div>
          <div className="row">
            <button
              type="button"
              className="button button-ghost button-small"
              onClick={() => setEditing(editingThis ? null : `method-${method.id}`)}
            >
              Edit
              <span className="visually-hidden">
                {' '}
                method {method.name} of {zone.name}
              </span>
            </button>
            <button
              type="button"
              className="button button-ghost button-small"
              onClick={() =>
                setPending({
                  title: `Delete the method ${method.name} of ${zone.name}?`,
                  run: async () =>
                    unwrap(
                      await api.DELETE('/api/shipping/admin/methods/{methodId}', {
                        params: { path: { methodId: method.id } },
                      }),
                    ),
                })
              }
            >
              Delete
              <span className="visually-hidden">
                {' '}
                method {method.name} of {zone.name}
              </span>
            </button>
          </div>
        </div>
        {editingThis && (
          <MethodForm
            initial={method}
            currency={currency}
            submitLabel="Save method"
            onCancel={() => setEditing(null)}
            onSave={async (input) => {
              const { rates: _rates, ...patch } = input;
              unwrap(
                await api.PATCH('/api/shipping/admin/methods/{methodId}', {
                  params: { path: { methodId: method.id } },
                  body: patch,
                }),
              );
              saved();
            }}
          />
        )}
        <div className="table-wrap">
          <table className="table table-compact">
            <caption className="visually-hidden">Rates of {method.name}</caption>
            <thead>
              <tr>
                <th scope="col">Parcels up to</th>
                <th scope="col" className="numeric">
                  Rate
                </th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {method.rates.length === 0 && (
                <tr>
                  <td colSpan={3} className="empty-cell">
                    No rates: the method cannot be chosen until it has one.
                  </td>
                </tr>
              )}
              {[...method.rates]
                .sort((a, b) => (a.maxWeightGrams ?? Infinity) - (b.maxWeightGrams ?? Infinity))
                .map((rate) =>
                  editing === `rate-${rate.id}` ? (
                    <tr key={rate.id}>
                      <td colSpan={3}>
                        <RateForm
                          initial={rate}
                          currency={currency}
                          submitLabel="Save rate"
                          onCancel={() => setEditing(null)}
                          onSave={async (input) => {
                            unwrap(
                              await api.PATCH('/api/shipping/admin/rates/{rateId}', {
                                params: { path: { rateId: rate.id } },
                                body: input,
                              }),
                            );
                            saved();
                          }}
                        />
                      </td>
                    </tr>
                  ) : (
                    <tr key={rate.id}>
                      <td>{rate.maxWeightGrams === null ? 'any weight' : `${rate.maxWeightGrams} g`}</td>
                      <td className="numeric">{formatMoney(rate.price.amount, rate.price.currency)}</td>
                      <td className="actions">
                        <button
                          type="button"
                          className="button button-ghost button-small"
                          onClick={() => setEditing(`rate-${rate.id}`)}
                        >
                          Edit
                        </button>
                        <button
                          type="button"
                          className="button button-ghost button-small"
                          onClick={() =>
                            setPending({
                              title: `Delete this rate of ${method.name}?`,
                              run: async () =>
                                unwrap(
                                  await api.DELETE('/api/shipping/admin/rates/{rateId}', {
                                    params: { path: { rateId: rate.id } },
                                  }),
                                ),
                            })
                          }
                        >
                          Delete
                        </button>
                      </td>
                    </tr>
                  ),
                )}
            </tbody>
          </table>
        </div>
        <details className="add-details">
          <summary>Add a rate</summary>
          <RateForm
            currency={currency}
            submitLabel="Add rate"
            onSave={async (input) => {
              unwrap(
                await api.POST('/api/shipping/admin/methods/{methodId}/rates', {
                  params: { path: { methodId: method.id } },
                  body: input,
                }),
              );
              zones.reload();
            }}
          />
        </details>
      </div>
    );
  }

  return (
    <>
      <PageHeader title="Shipping" />
      <ErrorMessage>{zones.error}</ErrorMessage>
      <div className="stack-lg">
        <Card title="New zone">
          <ZoneForm
            submitLabel="Create zone"
            onSave={async (input) => {
              unwrap(await api.POST('/api/shipping/admin/zones', { body: input }));
              zones.reload();
            }}
          />
        </Card>
        {zones.loading && !zones.data && <Loading />}
        {zones.data?.length === 0 && <Empty>No shipping zones yet: checkout needs at least one.</Empty>}
        {zones.data?.map((zone) => (
          <Card
            key={zone.id}
            title={zone.name}
            actions={
              <>
                <button
                  type="button"
                  className="button button-ghost button-small"
                  onClick={() => setEditing(editing === `zone-${zone.id}` ? null : `zone-${zone.id}`)}
                >
                  Edit
                  <span className="visually-hidden"> zone {zone.name}</span>
                </button>
                <button
                  type="button"
                  className="button button-ghost button-small"
                  onClick={() =>
                    setPending({
                      title: `Delete the zone ${zone.name} with its methods?`,
                      run: async () =>
                        unwrap(
                          await api.DELETE('/api/shipping/admin/zones/{zoneId}', {
                            params: { path: { zoneId: zone.id } },
                          }),
                        ),
                    })
                  }
                >
                  Delete
                  <span className="visually-hidden"> zone {zone.name}</span>
                </button>
              </>
            }
          >
            <Countries countries={zone.countries} />
            {editing === `zone-${zone.id}` && (
              <ZoneForm
                initial={zone}
                submitLabel="Save zone"
                onCancel={() => setEditing(null)}
                onSave={async (input) => {
                  unwrap(
                    await api.PATCH('/api/shipping/admin/zones/{zoneId}', {
                      params: { path: { zoneId: zone.id } },
                      body: input,
                    }),
                  );
                  saved();
                }}
              />
            )}
            {zone.methods.length === 0 && <p className="muted">No methods yet.</p>}
            {zone.methods.map((method) => methodBlock(zone, method))}
            <details className="add-details">
              <summary>Add a method</summary>
              <MethodForm
                currency={currency}
                submitLabel="Add method"
                onSave={async (input) => {
                  unwrap(
                    await api.POST('/api/shipping/admin/zones/{zoneId}/methods', {
                      params: { path: { zoneId: zone.id } },
                      body: input,
                    }),
                  );
                  zones.reload();
                }}
              />
            </details>
          </Card>
        ))}
      </div>
      <ConfirmDialog
        open={pending !== null}
        title={pending?.title ?? ''}
        confirmLabel="Delete"
        danger
        busy={busy}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setPending(null)}
      >
        <p>Checkouts under way keep the price they were quoted.</p>
        <ErrorMessage>{error}</ErrorMessage>
      </ConfirmDialog>
    </>
  );
}
