import type { ResponseOf } from '@shopstack/api-client';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useLocation, useNavigate, useParams } from 'react-router';
import { ApiProblem, messageOf, unwrap } from '../api.js';
import { ProductImages } from '../components/product-images.js';
import { ProductOptions } from '../components/product-options.js';
import { ProductVariants } from '../components/product-variants.js';
import { Card, ErrorMessage, Loading, Notice, PageHeader, StatusBadge } from '../components/ui.js';
import {
  isBlankRow,
  keptAttributes,
  newProductValues,
  parseStock,
  productFields,
  productValues,
  splitValues,
  variantChanges,
  variantInput,
  type ProductValues,
  type StaffProduct,
} from '../product-form.js';
import { useApi } from '../session.js';
import { useCurrency } from '../store-currency.js';
import { useLoad } from '../use-load.js';

type CategoryNode = ResponseOf<'listCategories'>['items'][number];

/** Categories depth first, each with its depth, for an indented select. */
function flatten(nodes: CategoryNode[], depth = 0): Array<{ id: string; name: string; depth: number }> {
  return nodes.flatMap((node) => [
    { id: node.id, name: node.name, depth },
    ...flatten(node.children, depth + 1),
  ]);
}

/** The editor of the product in the address, made afresh for each product (a new one becomes /products/{id} once saved). */
export default function ProductEditorPage() {
  const { id } = useParams();
  return <ProductEditor key={id ?? 'new'} id={id} />;
}

/** Creates a product, or edits one: its fields, options, variants with their stock, and images. */
function ProductEditor({ id }: { id: string | undefined }) {
  const api = useApi();
  const navigate = useNavigate();
  const location = useLocation();
  const { currency, setCurrency } = useCurrency();
  const [error, setError] = useState<string | null>(null);
  const [saved, setSaved] = useState<boolean>(Boolean((location.state as { saved?: boolean } | null)?.saved));
  const [archiving, setArchiving] = useState(false);
  const loaded = useRef<StaffProduct | null>(null);

  const form = useForm<ProductValues>({ defaultValues: newProductValues(), mode: 'onBlur' });
  const { register, handleSubmit, reset, formState, setValue, control, watch } = form;

  const product = useLoad<StaffProduct | null>(
    async () =>
      id ? unwrap(await api.GET('/api/catalogue/admin/products/{id}', { params: { path: { id } } })) : null,
    id ?? 'new',
  );
  const categories = useLoad(
    async () => flatten(unwrap(await api.GET('/api/catalogue/categories')).items),
    'categories',
  );

  useEffect(() => {
    if (product.data === undefined) return;
    loaded.current = product.data;
    reset(product.data ? productValues(product.data) : newProductValues());
    if (product.data?.currency) setCurrency(product.data.currency);
  }, [product.data, reset, setCurrency]);

  const loadedVariants = useMemo(
    () => new Map((product.data?.variants ?? []).map((v) => [v.id, v])),
    [product.data],
  );

  async function save(values: ProductValues) {
    setError(null);
    setSaved(false);
    const unnamed = values.options.find((o) => o.name.trim() && splitValues(o.values).length === 0);
    if (unnamed) {
      setError(`Give the option ${unnamed.name.trim()} at least one value.`);
      return;
    }
    const fields = productFields(values);
    const before = loaded.current;
    try {
      if (!before) {
        const variants = values.variants
          .filter((row) => !isBlankRow(row))
          .map((row) => ({
            ...variantInput(row, values.options, currency),
            onHand: parseStock(row.stock) ?? 0,
          }));
        const created = unwrap(
          await api.POST('/api/catalogue/admin/products', {
            body: {
              ...fields,
              ...(values.slug.trim() ? { slug: values.slug.trim() } : {}),
              status: values.status === 'published' ? 'published' : 'draft',
              variants,
            },
          }),
        );
        if (values.status === 'archived') {
          unwrap(
            await api.POST('/api/catalogue/admin/products/{id}/archive', {
              params: { path: { id: created.id } },
            }),
          );
        }
        navigate(`/products/${created.id}`, { replace: true, state: { saved: true } });
        return;
      }

      const productId = before.id;
      const statusChange =
        values.status !== before.status && values.status !== 'archived' ? { status: values.status } : {};
      unwrap(
        await api.PATCH('/api/catalogue/admin/products/{id}', {
          params: { path: { id: productId } },
          body: { ...fields, slug: values.slug.trim() || before.slug, ...statusChange },
        }),
      );
      if (values.status === 'archived' && before.status !== 'archived') {
        unwrap(
          await api.POST('/api/catalogue/admin/products/{id}/archive', {
            params: { path: { id: productId } },
          }),
        );
      }
      for (const [index, row] of values.variants.entries()) {
        if (isBlankRow(row)) continue;
        const previous = row.variantId ? before.variants.find((v) => v.id === row.variantId) : undefined;
        const input = variantInput(row, values.options, currency, keptAttributes(previous, before.options));
        const onHand = parseStock(row.stock) ?? 0;
        if (!previous) {
          const created = unwrap(
            await api.POST('/api/catalogue/admin/products/{id}/variants', {
              params: { path: { id: productId } },
              body: { ...input, onHand },
            }),
          );
          // Saving again after a later step failed must not create it twice.
          setValue(`variants.${index}.variantId`, created.id);
          continue;
        }
        const changes = variantChanges(previous, input);
        if (changes) {
          unwrap(
            await api.PATCH('/api/catalogue/admin/variants/{id}', {
              params: { path: { id: previous.id } },
              body: changes,
            }),
          );
        }
        if (onHand !== previous.stock.onHand) {
          unwrap(
            await api.PUT('/api/catalogue/admin/stock/{sku}', {
              params: { path: { sku: input.sku } },
              body: { onHand },
            }),
          );
        }
      }
      const fresh = unwrap(
        await api.GET('/api/catalogue/admin/products/{id}', { params: { path: { id: productId } } }),
      );
      product.setData(fresh);
      setSaved(true);
    } catch (err) {
      if (err instanceof ApiProblem && err.code === 'currency_mismatch') {
        const expected = (err.problem as { expected?: unknown }).expected;
        if (typeof expected === 'string') setCurrency(expected);
        setError(`${messageOf(err)} The prices are now read in ${String(expected)}: save again.`);
      } else {
        setError(messageOf(err));
      }
      // What did get saved is the new starting point, so saving again sends only what is left.
      if (before) {
        const fresh = await api.GET('/api/catalogue/admin/products/{id}', {
          params: { path: { id: before.id } },
        });
        if (fresh.data) loaded.current = fresh.data;
      }
    }
  }

  const status = watch('status');
  const title = id ? (product.data?.name ?? 'Product') : 'New product';

  if (id && product.loading && !product.data) return <Loading />;
  if (id && product.error && !product.data) {
    return (
      <>
        <PageHeader title="Product" back={{ to: '/products', label: 'All products' }} />
        <ErrorMessage>{product.error}</ErrorMessage>
      </>
    );
  }

  return (
    <form
      className="product-form"
      noValidate
      onSubmit={handleSubmit(save, () =>
        setError('Some fields need attention: see the messages below them.'),
      )}
      onChange={() => saved && setSaved(false)}
    >
      <PageHeader title={title} back={{ to: '/products', label: 'All products' }}>
        {product.data && <StatusBadge status={product.data.status} />}
      </PageHeader>
      <ErrorMessage>{error}</ErrorMessage>
      <div className="editor-layout">
        <div className="stack-lg">
          <Card title="Details">
            <div className="stack">
              <div className="field">
                <label htmlFor="product-name">Name</label>
                <input
                  id="product-name"
                  autoComplete="off"
                  aria-invalid={formState.errors.name ? true : undefined}
                  aria-describedby={formState.errors.name ? 'product-name-error' : undefined}
                  {...register('name', {
                    validate: (v) =>
                      (v.trim().length > 0 && v.trim().length <= 200) || 'Give the product a name',
                  })}
                />
                {formState.errors.name && (
                  <p className="field-error" id="product-name-error">
                    {formState.errors.name.message}
                  </p>
                )}
              </div>
              <div className="field">
                <label htmlFor="product-slug">Slug</label>
                <input
                  id="product-slug"
                  autoComplete="off"
                  placeholder={id ? undefined : 'made from the name when left empty'}
                  aria-describedby="product-slug-hint"
                  {...register('slug', {
                    validate: (v) =>
                      !v.trim() ||
                      /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(v.trim()) ||
                      'Lower-case words joined by hyphens',
                  })}
                />
                <p className="hint" id="product-slug-hint">
                  The product’s address in the shop: /p/<em>slug</em>
                </p>
                {formState.errors.slug && <p className="field-error">{formState.errors.slug.message}</p>}
              </div>
              <div className="field">
                <label htmlFor="product-description">Description</label>
                <textarea id="product-description" rows={6} {...register('description')} />
              </div>
            </div>
          </Card>
          <Card title="Options">
            <ProductOptions control={control} register={register} />
          </Card>
          <Card title="Variants">
            <ProductVariants
              control={control}
              register={register}
              formState={formState}
              currency={currency}
              loaded={loadedVariants}
            />
          </Card>
          <Card title="Images">
            <ProductImages control={control} register={register} />
          </Card>
        </div>
        <div className="stack-lg editor-side">
          <Card title="Publishing">
            <div className="stack">
              <div className="field">
                <label htmlFor="product-status">Status</label>
                <select id="product-status" {...register('status')}>
                  <option value="draft">Draft</option>
                  <option value="published">Published</option>
                  <option value="archived">Archived</option>
                </select>
              </div>
              <p className="hint">
                {status === 'published'
                  ? 'On sale in the shop.'
                  : status === 'archived'
                    ? 'Withdrawn from sale; kept for past orders.'
                    : 'Hidden from the shop until published.'}
              </p>
              <div className="field">
                <label htmlFor="product-category">Category</label>
                <select id="product-category" {...register('categoryId')}>
                  <option value="">No category</option>
                  {(categories.data ?? []).map((c) => (
                    <option key={c.id} value={c.id}>
                      {`${'\u2002'.repeat(c.depth * 2)}${c.name}`}
                    </option>
                  ))}
                  {product.data?.categoryId &&
                    !categories.data?.some((c) => c.id === product.data?.categoryId) && (
                      <option value={product.data.categoryId}>{product.data.categoryId}</option>
                    )}
                </select>
              </div>
              <button
                type="submit"
                className="button button-primary button-block"
                disabled={formState.isSubmitting}
              >
                {formState.isSubmitting ? 'Saving…' : 'Save'}
              </button>
              {saved && <Notice>Saved</Notice>}
              {product.data && product.data.status !== 'archived' && (
                <button
                  type="button"
                  className="button button-ghost button-block"
                  disabled={archiving}
                  onClick={async () => {
                    setArchiving(true);
                    setError(null);
                    try {
                      const archived = unwrap(
                        await api.POST('/api/catalogue/admin/products/{id}/archive', {
                          params: { path: { id: product.data!.id } },
                        }),
                      );
                      product.setData(archived);
                      setSaved(true);
                    } catch (err) {
                      setError(messageOf(err));
                    } finally {
                      setArchiving(false);
                    }
                  }}
                >
                  Archive
                </button>
              )}
            </div>
          </Card>
        </div>
      </div>
    </form>
  );
}
