import type { BodyOf } from '@shopstack/api-client';
import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { messageOf } from '../api.js';
import { toMajor, toMinor } from '../money.js';
import { ErrorMessage } from './ui.js';

export type ZoneInput = BodyOf<'adminCreateShippingZone'>;
export type MethodInput = BodyOf<'adminCreateShippingMethod'>;
export type RateInput = BodyOf<'adminCreateShippingRate'>;

/** "de, at FR" -> ["DE", "AT", "FR"]. */
export function parseCountries(text: string): string[] {
  return [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean),
    ),
  ];
}

/** A small form that reads its inputs by name on submit and shows what the store answered on failure. */
function InlineForm({
  onSubmit,
  submitLabel,
  onCancel,
  children,
}: {
  onSubmit: (form: FormData) => Promise<void>;
  submitLabel: string;
  onCancel?: () => void;
  children: ReactNode;
}) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    setBusy(true);
    setError(null);
    try {
      await onSubmit(new FormData(formElement));
      if (!onCancel) formElement.reset();
    } catch (err) {
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="inline-form" onSubmit={submit} noValidate>
      <ErrorMessage>{error}</ErrorMessage>
      <div className="form-row">{children}</div>
      <div className="row">
        <button type="submit" className="button button-primary" disabled={busy}>
          {submitLabel}
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

const text = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

export function ZoneForm({
  initial,
  submitLabel,
  onSave,
  onCancel,
}: {
  initial?: { name: string; countries: string[] };
  submitLabel: string;
  onSave: (input: ZoneInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const id = useId();
  return (
    <InlineForm
      submitLabel={submitLabel}
      {...(onCancel ? { onCancel } : {})}
      onSubmit={async (form) => {
        const countries = parseCountries(text(form, 'countries'));
        if (!text(form, 'name')) throw new Error('Give the zone a name.');
        if (countries.some((c) => !/^[A-Z]{2}$/.test(c)) || countries.length === 0)
          throw new Error('List the countries as two-letter codes, such as DE, AT, FR.');
        await onSave({ name: text(form, 'name'), countries });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>Zone name</label>
        <input id={`${id}-name`} name="name" defaultValue={initial?.name ?? ''} placeholder="Europe" />
      </div>
      <div className="field grow">
        <label htmlFor={`${id}-countries`}>Countries</label>
        <input
          id={`${id}-countries`}
          name="countries"
          defaultValue={initial?.countries.join(', ') ?? ''}
          placeholder="DE, AT, FR"
          aria-describedby={`${id}-countries-hint`}
        />
        <p className="hint" id={`${id}-countries-hint`}>
          Two-letter country codes, separated by commas.
        </p>
      </div>
    </InlineForm>
  );
}

export function MethodForm({
  initial,
  currency,
  submitLabel,
  onSave,
  onCancel,
}: {
  initial?: {
    code: string;
    name: string;
    estimatedDays: { minDays: number; maxDays: number } | null;
    freeShippingThreshold: { amount: number; currency: string } | null;
  };
  currency: string;
  submitLabel: string;
  onSave: (input: MethodInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const id = useId();
  return (
    <InlineForm
      submitLabel={submitLabel}
      {...(onCancel ? { onCancel } : {})}
      onSubmit={async (form) => {
        const minDays = text(form, 'minDays');
        const maxDays = text(form, 'maxDays');
        const free = text(form, 'free');
        const threshold = free ? toMinor(free, currency) : null;
        if (free && threshold === null) throw new Error('Enter the free-shipping amount such as 50.00.');
        if ((minDays === '') !== (maxDays === ''))
          throw new Error('Give both the fewest and the most days, or neither.');
        await onSave({
          code: text(form, 'code'),
          name: text(form, 'name'),
          estimatedDays: minDays ? { minDays: Number(minDays), maxDays: Number(maxDays) } : null,
          freeShippingThreshold: threshold === null ? null : { amount: threshold, currency },
        });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-name`}>Method name</label>
        <input id={`${id}-name`} name="name" defaultValue={initial?.name ?? ''} placeholder="Standard" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-code`}>Code</label>
        <input id={`${id}-code`} name="code" defaultValue={initial?.code ?? ''} placeholder="standard" />
      </div>
      <div className="field field-narrow">
        <label htmlFor={`${id}-min`}>Fewest days</label>
        <input
          id={`${id}-min`}
          name="minDays"
          type="number"
          min={0}
          defaultValue={initial?.estimatedDays?.minDays ?? ''}
        />
      </div>
      <div className="field field-narrow">
        <label htmlFor={`${id}-max`}>Most days</label>
        <input
          id={`${id}-max`}
          name="maxDays"
          type="number"
          min={0}
          defaultValue={initial?.estimatedDays?.maxDays ?? ''}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-free`}>Free over ({currency})</label>
        <input
          id={`${id}-free`}
          name="free"
          inputMode="decimal"
          placeholder="never free"
          defaultValue={
            initial?.freeShippingThreshold
              ? toMajor(initial.freeShippingThreshold.amount, initial.freeShippingThreshold.currency)
              : ''
          }
        />
      </div>
    </InlineForm>
  );
}

export function RateForm({
  initial,
  currency,
  submitLabel,
  onSave,
  onCancel,
}: {
  initial?: { maxWeightGrams: number | null; price: { amount: number; currency: string } };
  currency: string;
  submitLabel: string;
  onSave: (input: RateInput) => Promise<void>;
  onCancel?: () => void;
}) {
  const id = useId();
  return (
    <InlineForm
      submitLabel={submitLabel}
      {...(onCancel ? { onCancel } : {})}
      onSubmit={async (form) => {
        const weight = text(form, 'weight');
        const price = toMinor(text(form, 'price'), currency);
        if (price === null) throw new Error('Enter the rate as an amount such as 4.90.');
        if (weight && !/^\d+$/.test(weight))
          throw new Error('Enter the weight in whole grams, or leave it empty.');
        await onSave({ maxWeightGrams: weight ? Number(weight) : null, price: { amount: price, currency } });
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-weight`}>Up to (g)</label>
        <input
          id={`${id}-weight`}
          name="weight"
          inputMode="numeric"
          placeholder="any weight"
          defaultValue={initial?.maxWeightGrams ?? ''}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-price`}>Rate ({currency})</label>
        <input
          id={`${id}-price`}
          name="price"
          inputMode="decimal"
          placeholder="4.90"
          defaultValue={initial ? toMajor(initial.price.amount, initial.price.currency) : ''}
        />
      </div>
    </InlineForm>
  );
}
