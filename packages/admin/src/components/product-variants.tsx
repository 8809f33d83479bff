import { useFieldArray, useWatch, type Control, type FormState, type UseFormRegister } from 'react-hook-form';
import { toMinor } from '../money.js';
import {
  attributeKey,
  blankVariant,
  isBlankRow,
  optionLabel,
  parseStock,
  splitValues,
  type ProductValues,
  type StaffVariant,
} from '../product-form.js';

const SKU_PATTERN = /^[A-Za-z0-9._/-]{1,64}$/;

/**
 * The variant rows: SKU, price, compare-at price, stock on hand, weight and a value for each
 * option. Existing variants cannot be removed (archive the product instead); a new row left empty
 * is ignored on save.
 */
export function ProductVariants({
  control,
  register,
  formState,
  currency,
  loaded,
}: {
  control: Control<ProductValues>;
  register: UseFormRegister<ProductValues>;
  formState: FormState<ProductValues>;
  currency: string;
  /** The variants as last loaded, by id: for their reserved and available units. */
  loaded: Map<string, StaffVariant>;
}) {
  const { fields, append, remove } = useFieldArray({ control, name: 'variants' });
  const options = (useWatch({ control, name: 'options' }) ?? []).filter((o) => o.name.trim());
  const errors = formState.errors.variants;
  const row = (values: ProductValues, index: number) => values.variants[index] ?? blankVariant();

  return (
    <div className="stack">
      {fields.length === 0 && (
        <p className="muted">No variants yet: a product is sold through its variants.</p>
      )}
      {fields.map((field, index) => {
        const id = `variant-${field.id}`;
        const existing = field.variantId ? loaded.get(field.variantId) : undefined;
        const rowErrors = errors?.[index];
        const error = (name: 'sku' | 'price' | 'compareAt' | 'stock' | 'weight') =>
          rowErrors?.[name]?.message;
        return (
          <fieldset key={field.id} className="variant-row">
            <legend>
              Variant {index + 1}
              {existing?.title ? <span className="muted"> · {existing.title}</span> : null}
            </legend>
            <div className="variant-grid">
              <div className="field">
                <label htmlFor={`${id}-sku`}>SKU</label>
                <input
                  id={`${id}-sku`}
                  autoComplete="off"
                  aria-invalid={error('sku') ? true : undefined}
                  aria-describedby={error('sku') ? `${id}-sku-error` : undefined}
                  {...register(`variants.${index}.sku`, {
                    validate: (value, values) =>
                      isBlankRow(row(values, index)) ||
                      SKU_PATTERN.test(value.trim()) ||
                      'Letters, digits and . _ / - only',
                  })}
                />
                {error('sku') && (
                  <p className="field-error" id={`${id}-sku-error`}>
                    {error('sku')}
                  </p>
                )}
              </div>
              <div className="field">
                <label htmlFor={`${id}-price`}>Price</label>
                <div className="input-affix">
                  <input
                    id={`${id}-price`}
                    inputMode="decimal"
                    autoComplete="off"
                    aria-invalid={error('price') ? true : undefined}
                    aria-describedby={`${id}-currency${error('price') ? ` ${id}-price-error` : ''}`}
                    {...register(`variants.${index}.price`, {
                      validate: (value, values) =>
                        isBlankRow(row(values, index)) ||
                        toMinor(value, currency) !== null ||
                        'Enter an amount such as 19.99',
                    })}
                  />
                  <span className="affix" id={`${id}-currency`}>
                    {currency}
                  </span>
                </div>
                {error('price') && (
                  <p className="field-error" id={`${id}-price-error`}>
                    {error('price')}
                  </p>
                )}
              </div>
              <div className="field">
                <label htmlFor={`${id}-compare`}>Compare-at</label>
                <input
                  id={`${id}-compare`}
                  inputMode="decimal"
                  autoComplete="off"
                  placeholder="optional"
                  aria-invalid={error('compareAt') ? true : undefined}
                  {...register(`variants.${index}.compareAt`, {
                    validate: (value) =>
                      !value.trim() || toMinor(value, currency) !== null || 'Enter an amount such as 24.99',
                  })}
                />
                {error('compareAt') && <p className="field-error">{error('compareAt')}</p>}
              </div>
              <div className="field">
                <label htmlFor={`${id}-stock`}>Stock</label>
                <input
                  id={`${id}-stock`}
                  inputMode="numeric"
                  autoComplete="off"
                  placeholder="0"
                  aria-describedby={existing ? `${id}-stock-hint` : undefined}
                  aria-invalid={error('stock') ? true : undefined}
                  {...register(`variants.${index}.stock`, {
                    validate: (value) => parseStock(value) !== null || 'Whole units, 0 or more',
                  })}
                />
                {existing && (
                  <p className="hint" id={`${id}-stock-hint`}>
                    On hand · {existing.stock.reserved} reserved, {existing.stock.available} available
                  </p>
                )}
                {error('stock') && <p className="field-error">{error('stock')}</p>}
              </div>
              <div className="field">
                <label htmlFor={`${id}-weight`}>Weight (g)</label>
                <input
                  id={`${id}-weight`}
                  inputMode="numeric"
                  autoComplete="off"
                  placeholder="optional"
                  {...register(`variants.${index}.weight`, {
                    validate: (value) => !value.trim() || /^\d{1,9}$/.test(value.trim()) || 'Whole grams',
                  })}
                />
                {error('weight') && <p className="field-error">{error('weight')}</p>}
              </div>
              {options.map((option, o) => {
                const key = attributeKey(option.name);
                const listId = `${id}-option-${o}-values`;
                return (
                  <div className="field" key={`${o}-${key}`}>
                    <label htmlFor={`${id}-option-${o}`}>{optionLabel(option.name)}</label>
                    <input
                      id={`${id}-option-${o}`}
                      list={listId}
                      autoComplete="off"
                      {...register(`variants.${index}.attributes.${key}`)}
                    />
                    <datalist id={listId}>
                      {splitValues(option.values).map((value) => (
                        <option key={value} value={value} />
                      ))}
                    </datalist>
                  </div>
                );
              })}
            </div>
            {!field.variantId && (
              <button
                type="button"
                className="button button-ghost button-small"
                onClick={() => remove(index)}
              >
                Remove
                <span className="visually-hidden"> variant {index + 1}</span>
              </button>
            )}
          </fieldset>
        );
      })}
      <div>
        <button type="button" className="button" onClick={() => append(blankVariant())}>
          Add variant
        </button>
      </div>
    </div>
  );
}
