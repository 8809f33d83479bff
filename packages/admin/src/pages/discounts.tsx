import type { BodyOf, ResponseOf } from '@shopstack/api-client';
import { createColumnHelper, getCoreRowModel, getSortedRowModel, useReactTable } from '@tanstack/react-table';
import { useEffect, useMemo, useState } from 'react';
import { useForm } from 'react-hook-form';
import { messageOf, unwrap } from '../api.js';
import { DataTable } from '../components/data-table.js';
import { Card, ErrorMessage, Loading, Notice, PageHeader, StatusBadge } from '../components/ui.js';
import { formatDate, formatMoney, toMajor, toMinor } from '../money.js';
import { useApi } from '../session.js';
import { useCurrency } from '../store-currency.js';
import { useLoad } from '../use-load.js';

type Discount = ResponseOf<'listDiscounts'>['items'][number];

interface DiscountValues {
  code: string;
  kind: 'percentage' | 'fixed';
  /** Percent (12.5) or an amount in major units (5.00). */
  value: string;
  minimumSubtotal: string;
  usageLimit: string;
  perCustomerLimit: string;
  startsAt: string;
  endsAt: string;
  active: boolean;
}

const blank: DiscountValues = {
  code: '',
  kind: 'percentage',
  value: '',
  minimumSubtotal: '',
  usageLimit: '',
  perCustomerLimit: '',
  startsAt: '',
  endsAt: '',
  active: true,
};

/** An ISO time as a datetime-local input shows it (local time, to the minute). */
function localInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const fromLocalInput = (text: string): string | null => (text ? new Date(text).toISOString() : null);
const limitOf = (text: string): number | null => (text.trim() ? Number(text) : null);

/** Percent typed ("12.5") as basis points (1250); null when it is not a percentage. */
function basisPoints(text: string): number | null {
  const value = text.trim().replace(',', '.');
  if (!/^\d{1,3}(\.\d{1,2})?$/.test(value)) return null;
  const points = Math.round(Number(value) * 100);
  return points >= 1 && points <= 10_000 ? points : null;
}

function describe(discount: Discount, currency: string): string {
  return discount.kind === 'percentage'
    ? `${discount.value / 100}% off`
    : `${formatMoney(discount.value, currency)} off`;
}

const column = createColumnHelper<Discount>();

/** Discount codes: their use so far, and a form to create one or change it. */
export default function Discounts() {
  const api = useApi();
  const { currency } = useCurrency();
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const discounts = useLoad(
    async () => unwrap(await api.GET('/api/cart/admin/discounts')).items,
    'discounts',
  );
  const { register, handleSubmit, reset, watch, formState } = useForm<DiscountValues>({
    defaultValues: blank,
  });
  const current = editing && editing !== 'new' ? discounts.data?.find((d) => d.id === editing) : undefined;
  const kind = watch('kind');

  useEffect(() => {
    if (!current) {
      reset(blank);
      return;
    }
    reset({
      code: current.code,
      kind: current.kind,
      value: current.kind === 'percentage' ? String(current.value / 100) : toMajor(current.value, currency),
      minimumSubtotal: current.minimumSubtotal ? toMajor(current.minimumSubtotal, currency) : '',
      usageLimit: current.usageLimit === null ? '' : String(current.usageLimit),
      perCustomerLimit: current.perCustomerLimit === null ? '' : String(current.perCustomerLimit),
      startsAt: localInput(current.startsAt),
      endsAt: localInput(current.endsAt),
      active: current.active,
    });
  }, [current, currency, reset, editing]);

  const columns = useMemo(
    () => [
      column.accessor('code', {
        header: 'Code',
        cell: (info) => (
          <button
            type="button"
            className="link-button row-title"
            onClick={() => {
              setEditing(info.row.original.id);
              setSaved(null);
              setError(null);
            }}
          >
            {info.getValue()}
          </button>
        ),
      }),
      column.accessor('value', { header: 'Discount', cell: (info) => describe(info.row.original, currency) }),
      column.accessor('used', {
        header: 'Used',
        cell: (info) =>
          info.row.original.usageLimit === null
            ? info.getValue()
            : `${info.getValue()} / ${info.row.original.usageLimit}`,
        meta: { numeric: true },
      }),
      column.accessor('endsAt', {
        header: 'Ends',
        cell: (info) => (info.getValue() ? formatDate(info.getValue()!) : 'Never'),
        meta: { optional: true },
      }),
      column.accessor('active', {
        header: 'State',
        cell: (info) => <StatusBadge status={info.getValue() ? 'active' : 'inactive'} />,
      }),
    ],
    [currency],
  );
  const table = useReactTable({
    data: discounts.data ?? [],
    columns,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });

  async function save(values: DiscountValues) {
    setError(null);
    setSaved(null);
    const value = values.kind === 'percentage' ? basisPoints(values.value) : toMinor(values.value, currency);
    const minimum = values.minimumSubtotal.trim() ? toMinor(values.minimumSubtotal, currency) : 0;
    if (value === null || value < 1) {
      setError(
        values.kind === 'percentage'
          ? 'Enter a percentage between 0.01 and 100.'
          : 'Enter an amount such as 5.00.',
      );
      return;
    }
    if (minimum === null) {
      setError('Enter the minimum subtotal as an amount such as 50.00, or leave it empty.');
      return;
    }
    const common = {
      value,
      minimumSubtotal: minimum,
      usageLimit: limitOf(values.usageLimit),
      perCustomerLimit: limitOf(values.perCustomerLimit),
      startsAt: fromLocalInput(values.startsAt),
      endsAt: fromLocalInput(values.endsAt),
      active: values.active,
    } satisfies BodyOf<'updateDiscount'>;
    try {
      if (current) {
        unwrap(
          await api.PATCH('/api/cart/admin/discounts/{id}', {
            params: { path: { id: current.id } },
            body: common,
          }),
        );
        setSaved('Saved');
      } else {
        const created = unwrap(
          await api.POST('/api/cart/admin/discounts', {
            body: { ...common, code: values.code.trim(), kind: values.kind },
          }),
        );
        setEditing(created.id);
        setSaved(`Created ${created.code}`);
      }
      discounts.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <>
      <PageHeader title="Discounts">
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            setEditing('new');
            setSaved(null);
            setError(null);
          }}
        >
          New discount
        </button>
      </PageHeader>
      <div className={editing ? 'grid-main-side' : ''}>
        <div className="card">
          <ErrorMessage>{discounts.error}</ErrorMessage>
          {discounts.loading && !discounts.data ? (
            <Loading />
          ) : (
            <DataTable table={table} caption="Discount codes" empty="No discount codes yet." />
          )}
        </div>
        {editing && (
          <Card title={current ? `Edit ${current.code}` : 'New discount'}>
            <form className="stack" noValidate onSubmit={handleSubmit(save)}>
              <ErrorMessage>{error}</ErrorMessage>
              <div className="field">
                <label htmlFor="discount-code">Code</label>
                <input
                  id="discount-code"
                  disabled={Boolean(current)}
                  autoComplete="off"
                  aria-describedby="discount-code-hint"
                  {...register('code', {
                    validate: (v) =>
                      Boolean(current) ||
                      /^[A-Za-z0-9_-]{1,40}$/.test(v.trim()) ||
                      'Letters, digits, _ and -',
                  })}
                />
                <p className="hint" id="discount-code-hint">
                  {current
                    ? 'A code and its kind stay as created.'
                    : 'Shoppers type it at checkout, in any letter case.'}
                </p>
                {formState.errors.code && <p className="field-error">{formState.errors.code.message}</p>}
              </div>
              <div className="field">
                <label htmlFor="discount-kind">Kind</label>
                <select id="discount-kind" disabled={Boolean(current)} {...register('kind')}>
                  <option value="percentage">Percentage of the goods</option>
                  <option value="fixed">Fixed amount</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor="discount-value">
                  {kind === 'percentage' ? 'Percent off' : `Amount off (${currency})`}
                </label>
                <input id="discount-value" inputMode="decimal" autoComplete="off" {...register('value')} />
              </div>
              <div className="field">
                <label htmlFor="discount-minimum">Minimum subtotal ({currency})</label>
                <input
                  id="discount-minimum"
                  inputMode="decimal"
                  placeholder="none"
                  {...register('minimumSubtotal')}
                />
              </div>
              <div className="form-row">
                <div className="field">
                  <label htmlFor="discount-usage">Uses in all</label>
                  <input
                    id="discount-usage"
                    type="number"
                    min={1}
                    placeholder="unlimited"
                    {...register('usageLimit')}
                  />
                </div>
                <div className="field">
                  <label htmlFor="discount-per-customer">Uses per customer</label>
                  <input
                    id="discount-per-customer"
                    type="number"
                    min={1}
                    placeholder="unlimited"
                    {...register('perCustomerLimit')}
                  />
                </div>
              </div>
              <div className="form-row">
                <div className="field">
                  <label htmlFor="discount-starts">Starts</label>
                  <input id="discount-starts" type="datetime-local" {...register('startsAt')} />
                </div>
                <div className="field">
                  <label htmlFor="discount-ends">Ends</label>
                  <input id="discount-ends" type="datetime-local" {...register('endsAt')} />
                </div>
              </div>
              <div className="checkbox">
                <input id="discount-active" type="checkbox" {...register('active')} />
                <label htmlFor="discount-active">Active</label>
              </div>
              <div className="row">
                <button type="submit" className="button button-primary" disabled={formState.isSubmitting}>
                  {current ? 'Save' : 'Create'}
                </button>
                <button type="button" className="button button-ghost" onClick={() => setEditing(null)}>
                  Close
                </button>
                {saved && <Notice>{saved}</Notice>}
              </div>
            </form>
          </Card>
        )}
      </div>
    </>
  );
}
