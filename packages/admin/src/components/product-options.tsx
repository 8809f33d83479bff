import { useFieldArray, type Control, type UseFormRegister } from 'react-hook-form';
import type { ProductValues } from '../product-form.js';

/**
 * The product's options (Size: S, M, L). Each named option adds an input of that name to every
 * variant row, where the variant's value goes.
 */
export function ProductOptions({
  control,
  register,
}: {
  control: Control<ProductValues>;
  register: UseFormRegister<ProductValues>;
}) {
  const { fields, append, remove } = useFieldArray({ control, name: 'options' });
  return (
    <div className="stack">
      {fields.length === 0 && (
        <p className="muted">No options: every variant stands on its own. Add one such as size or colour.</p>
      )}
      {fields.map((field, index) => (
        <div key={field.id} className="option-row">
          <div className="field">
            <label htmlFor={`option-${field.id}-name`}>Option</label>
            <input
              id={`option-${field.id}-name`}
              placeholder="size"
              {...register(`options.${index}.name`, {
                maxLength: { value: 50, message: 'At most 50 characters' },
              })}
            />
          </div>
          <div className="field grow">
            <label htmlFor={`option-${field.id}-values`}>Values</label>
            <input
              id={`option-${field.id}-values`}
              placeholder="S, M, L"
              aria-describedby="option-values-hint"
              {...register(`options.${index}.values`)}
            />
          </div>
          <button type="button" className="button button-ghost" onClick={() => remove(index)}>
            Remove
            <span className="visually-hidden"> option {index + 1}</span>
          </button>
        </div>
      ))}
      {fields.length > 0 && (
        <p className="hint" id="option-values-hint">
          Separate values with commas.
        </p>
      )}
      <div>
        <button type="button" className="button" onClick={() => append({ name: '', values: '' })}>
          Add option
        </button>
      </div>
    </div>
  );
}
