import type { ResponseOf } from '@shopstack/api-client';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { messageOf, unwrap } from '../api.js';
import { Card, Empty, ErrorMessage, Loading, Notice, PageHeader } from '../components/ui.js';
import { useApi } from '../session.js';
import { useLoad } from '../use-load.js';

type CountryRates = ResponseOf<'listTaxRates'>['items'][number];
type Rate = CountryRates['rates'][number];

const percent = (basisPoints: number) =>
  `${(basisPoints / 100).toLocaleString(undefined, { maximumFractionDigits: 2 })}%`;

/** "19" or "7,5" percent as basis points (1900, 750); null when it is not a rate. */
function basisPoints(text: string): number | null {
  const value = text.trim().replace(',', '.').replace(/%$/, '');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(value)) return null;
  const points = Math.round(Number(value) * 100);
  return points <= 10_000 ? points : null;
}

/** "standard 19, reduced 7" -> rates; throws with a message for people on anything else. */
function parseRates(text: string): Rate[] {
  const rates = text
    .split(/[,;\n]+/)
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const match = /^([a-z][a-z0-9_-]{0,31})\s*[:=]?\s*(\S+)$/.exec(part);
      const points = match ? basisPoints(match[2]!) : null;
      if (!match || points === null)
        throw new Error(`“${part}” is not a class and a rate, such as reduced 7.`);
      return { taxClass: match[1]!, rateBasisPoints: points };
    });
  return rates;
}

function CountryForm({
  initial,
  onSave,
  onCancel,
}: {
  initial?: CountryRates;
  onSave: (country: string, rates: Rate[]) => Promise<void>;
  onCancel?: () => void;
}) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const standard = initial?.rates.find((r) => r.taxClass === 'standard');
  const others = (initial?.rates ?? []).filter((r) => r.taxClass !== 'standard');

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const element = event.currentTarget;
    const form = new FormData(element);
    setError(null);
    try {
      const country = String(form.get('country') ?? '')
        .trim()
        .toUpperCase();
      if (!/^[A-Z]{2}$/.test(country)) throw new Error('Give the country as a two-letter code, such as DE.');
      const points = basisPoints(String(form.get('standard') ?? ''));
      if (points === null) throw new Error('Give the standard rate in percent, such as 19.');
      const rates = [
        { taxClass: 'standard', rateBasisPoints: points },
        ...parseRates(String(form.get('others') ?? '')),
      ];
      await onSave(country, rates);
      if (!initial) element.reset();
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <ErrorMessage>{error}</ErrorMessage>
      <div className="form-row">
        <div className="field field-narrow">
          <label htmlFor={`${id}-country`}>Country</label>
          <input
            id={`${id}-country`}
            name="country"
            defaultValue={initial?.country ?? ''}
            readOnly={Boolean(initial)}
            placeholder="DE"
            maxLength={2}
            autoComplete="off"
          />
        </div>
        <div className="field field-narrow">
          <label htmlFor={`${id}-standard`}>Standard rate (%)</label>
          <input
            id={`${id}-standard`}
            name="standard"
            inputMode="decimal"
            placeholder="19"
            defaultValue={standard ? String(standard.rateBasisPoints / 100) : ''}
          />
        </div>
        <div className="field grow">
          <label htmlFor={`${id}-others`}>Other classes</label>
          <input
            id={`${id}-others`}
            name="others"
            placeholder="reduced 7, books 5"
            aria-describedby={`${id}-others-hint`}
            defaultValue={others.map((r) => `${r.taxClass} ${r.rateBasisPoints / 100}`).join(', ')}
          />
          <p className="hint" id={`${id}-others-hint`}>
            A class name and its rate in percent, separated by commas.
          </p>
        </div>
      </div>
      <div className="row">
        <button type="submit" className="button button-primary">
          {initial ? 'Save rates' : 'Add country'}
        </button>
        {onCancel && (
          <button type="button" className="button button-ghost" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** How prices are quoted (with or without tax), whose rates apply by default, and the rates of each country. */
export default function Taxes() {
  const api = useApi();
  const settings = useLoad(async () => unwrap(await api.GET('/api/cart/admin/settings')), 'settings');
  const rates = useLoad(async () => unwrap(await api.GET('/api/cart/admin/tax-rates')).items, 'rates');
  const [includeTax, setIncludeTax] = useState(false);
  const [defaultCountry, setDefaultCountry] = useState('');
  const [settingsError, setSettingsError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const [editing, setEditing] = useState<string | null>(null);

  useEffect(() => {
    if (!settings.data) return;
    setIncludeTax(settings.data.pricesIncludeTax);
    setDefaultCountry(settings.data.defaultCountry ?? '');
  }, [settings.data]);

  async function saveSettings(event: FormEvent) {
    event.preventDefault();
    setSettingsError(null);
    setSaved(false);
    const country = defaultCountry.trim().toUpperCase();
    if (country && !/^[A-Z]{2}$/.test(country)) {
      setSettingsError('Give the default country as a two-letter code, such as DE, or leave it empty.');
      return;
    }
    try {
      settings.setData(
        unwrap(
          await api.PUT('/api/cart/admin/settings', {
            body: { pricesIncludeTax: includeTax, defaultCountry: country || null },
          }),
        ),
      );
      setSaved(true);
    } catch (err) {
      setSettingsError(messageOf(err));
    }
  }

  const putRates = async (country: string, list: Rate[]) => {
    unwrap(
      await api.PUT('/api/cart/admin/tax-rates/{country}', {
        params: { path: { country } },
        body: { rates: list },
      }),
    );
    setEditing(null);
    rates.reload();
  };

  return (
    <>
      <PageHeader title="Taxes" />
      <div className="stack-lg">
        <Card title="Prices and tax">
          {settings.loading && !settings.data ? (
            <Loading />
          ) : (
            <form className="stack" onSubmit={saveSettings} noValidate>
              <ErrorMessage>{settingsError ?? settings.error}</ErrorMessage>
              <div className="checkbox">
                <input
                  id="prices-include-tax"
                  type="checkbox"
                  checked={includeTax}
                  aria-describedby="prices-include-tax-hint"
                  onChange={(event) => setIncludeTax(event.target.checked)}
                />
                <label htmlFor="prices-include-tax">Prices include tax</label>
              </div>
              <p className="hint" id="prices-include-tax-hint">
                On: catalogue prices are gross and tax is worked out of them. Off: tax is added at checkout.
              </p>
              <div className="field field-narrow">
                <label htmlFor="default-country">Default country</label>
                <input
                  id="default-country"
                  value={defaultCountry}
                  maxLength={2}
                  placeholder="DE"
                  aria-describedby="default-country-hint"
                  onChange={(event) => setDefaultCountry(event.target.value)}
                />
                <p className="hint" id="default-country-hint">
                  Whose rates apply while a cart has no delivery address yet.
                </p>
              </div>
              <div className="row">
                <button type="submit" className="button button-primary">
                  Save settings
                </button>
                {saved && <Notice>Saved</Notice>}
              </div>
            </form>
          )}
        </Card>

        <Card title="Rates by country">
          <ErrorMessage>{rates.error}</ErrorMessage>
          {rates.loading && !rates.data && <Loading />}
          {rates.data?.length === 0 && <Empty>No tax rates yet.</Empty>}
          {rates.data && rates.data.length > 0 && (
            <div className="table-wrap">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Country</th>
                    <th scope="col">Rates</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rates.data.map((entry) =>
                    editing === entry.country ? (
                      <tr key={entry.country}>
                        <td colSpan={3}>
                          <CountryForm initial={entry} onSave={putRates} onCancel={() => setEditing(null)} />
                        </td>
                      </tr>
                    ) : (
                      <tr key={entry.country}>
                        <td>
                          <strong>{entry.country}</strong>
                        </td>
                        <td>
                          <span className="chips">
                            {entry.rates.map((r) => (
                              <span key={r.taxClass} className="chip">
                                {r.taxClass} {percent(r.rateBasisPoints)}
                              </span>
                            ))}
                          </span>
                        </td>
                        <td className="actions">
                          <button
                            type="button"
                            className="button button-ghost button-small"
                            onClick={() => setEditing(entry.country)}
                          >
                            Edit
                            <span className="visually-hidden"> the rates of {entry.country}</span>
                          </button>
                        </td>
                      </tr>
                    ),
                  )}
                </tbody>
              </table>
            </div>
          )}
          <h3>Add a country</h3>
          <CountryForm onSave={putRates} />
        </Card>
      </div>
    </>
  );
}
