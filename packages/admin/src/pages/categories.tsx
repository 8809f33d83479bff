import type { BodyOf, ResponseOf } from '@shopstack/api-client';
import { useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import { messageOf, unwrap } from '../api.js';
import { Card, Empty, ErrorMessage, Loading, Notice, PageHeader } from '../components/ui.js';
import { useApi } from '../session.js';
import { useLoad } from '../use-load.js';

type CategoryNode = ResponseOf<'listCategories'>['items'][number];
type StaffCategory = ResponseOf<'adminGetCategory'>;

interface CategoryValues {
  name: string;
  slug: string;
  description: string;
  parentId: string;
  position: string;
}

const empty: CategoryValues = { name: '', slug: '', description: '', parentId: '', position: '0' };

/** The ids of a node and everything below it: where it may not be moved. */
function subtreeIds(node: CategoryNode): string[] {
  return [node.id, ...node.children.flatMap(subtreeIds)];
}

function find(nodes: CategoryNode[], id: string): CategoryNode | undefined {
  for (const node of nodes) {
    if (node.id === id) return node;
    const below = find(node.children, id);
    if (below) return below;
  }
  return undefined;
}

function flatten(nodes: CategoryNode[], depth = 0): Array<{ node: CategoryNode; depth: number }> {
  return nodes.flatMap((node) => [{ node, depth }, ...flatten(node.children, depth + 1)]);
}

function Tree({
  nodes,
  selected,
  onSelect,
}: {
  nodes: CategoryNode[];
  selected: string | null;
  onSelect: (id: string) => void;
}) {
  return (
    <ul className="tree">
      {nodes.map((node) => (
        <li key={node.id}>
          <button
            type="button"
            className={`tree-item ${selected === node.id ? 'is-selected' : ''}`}
            aria-current={selected === node.id ? 'true' : undefined}
            onClick={() => onSelect(node.id)}
          >
            <span>{node.name}</span>
            <span className="tree-count">{node.productCount}</span>
          </button>
          {node.children.length > 0 && <Tree nodes={node.children} selected={selected} onSelect={onSelect} />}
        </li>
      ))}
    </ul>
  );
}

/** The category tree; a category chosen in it (or a new one) is edited beside it. */
export default function Categories() {
  const api = useApi();
  const [selected, setSelected] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const tree = useLoad(
    async () => unwrap(await api.GET('/api/catalogue/categories', { cache: 'no-cache' })).items,
    'tree',
  );
  const category = useLoad<StaffCategory | null>(
    async () =>
      selected
        ? unwrap(
            await api.GET('/api/catalogue/admin/categories/{id}', { params: { path: { id: selected } } }),
          )
        : null,
    selected ?? 'new',
  );
  const { register, handleSubmit, reset, formState } = useForm<CategoryValues>({ defaultValues: empty });

  useEffect(() => {
    if (category.data === undefined) return;
    const c = category.data;
    reset(
      c
        ? {
            name: c.name,
            slug: c.slug,
            description: c.description,
            parentId: c.parentId ?? '',
            position: String(c.position),
          }
        : empty,
    );
  }, [category.data, reset]);

  const nodes = tree.data ?? [];
  const excluded = new Set(selected ? subtreeIds(find(nodes, selected) ?? ({ children: [] } as never)) : []);
  if (selected) excluded.add(selected);

  async function save(values: CategoryValues) {
    setError(null);
    setSaved(null);
    const body: BodyOf<'adminCreateCategory'> = {
      name: values.name.trim(),
      description: values.description,
      parentId: values.parentId || null,
      position: Number(values.position) || 0,
      ...(values.slug.trim() ? { slug: values.slug.trim() } : {}),
    };
    try {
      const result = selected
        ? unwrap(
            await api.PATCH('/api/catalogue/admin/categories/{id}', {
              params: { path: { id: selected } },
              body,
            }),
          )
        : unwrap(await api.POST('/api/catalogue/admin/categories', { body }));
      category.setData(result);
      setSelected(result.id);
      setSaved(selected ? 'Saved' : `Created ${result.name}`);
      tree.reload();
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <>
      <PageHeader title="Categories">
        <button
          type="button"
          className="button button-primary"
          onClick={() => {
            setSelected(null);
            setSaved(null);
            setError(null);
          }}
        >
          New category
        </button>
      </PageHeader>
      <div className="grid-sidebar">
        <Card title="Tree">
          <ErrorMessage>{tree.error}</ErrorMessage>
          {tree.loading && !tree.data && <Loading />}
          {tree.data && nodes.length === 0 && <Empty>No categories yet.</Empty>}
          <Tree
            nodes={nodes}
            selected={selected}
            onSelect={(id) => {
              setSelected(id);
              setSaved(null);
              setError(null);
            }}
          />
        </Card>
        <Card title={selected ? `Edit ${category.data?.name ?? ''}` : 'New category'}>
          {selected && category.loading && !category.data ? (
            <Loading />
          ) : (
            <form className="stack" noValidate onSubmit={handleSubmit(save)}>
              <ErrorMessage>{error ?? category.error}</ErrorMessage>
              <div className="field">
                <label htmlFor="category-name">Name</label>
                <input
                  id="category-name"
                  aria-invalid={formState.errors.name ? true : undefined}
                  {...register('name', {
                    validate: (v) => v.trim().length > 0 || 'Give the category a name',
                  })}
                />
                {formState.errors.name && <p className="field-error">{formState.errors.name.message}</p>}
              </div>
              <div className="field">
                <label htmlFor="category-slug">Slug</label>
                <input
                  id="category-slug"
                  placeholder="made from the name when left empty"
                  {...register('slug', {
                    validate: (v) =>
                      !v.trim() ||
                      /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(v.trim()) ||
                      'Lower-case words joined by hyphens',
                  })}
                />
                {formState.errors.slug && <p className="field-error">{formState.errors.slug.message}</p>}
              </div>
              <div className="field">
                <label htmlFor="category-parent">Parent</label>
                <select id="category-parent" {...register('parentId')}>
                  <option value="">None (top level)</option>
                  {flatten(nodes)
                    .filter(({ node }) => !excluded.has(node.id))
                    .map(({ node, depth }) => (
                      <option key={node.id} value={node.id}>
                        {`${'\u2002'.repeat(depth * 2)}${node.name}`}
                      </option>
                    ))}
                </select>
              </div>
              <div className="field">
                <label htmlFor="category-position">Position</label>
                <input
                  id="category-position"
                  type="number"
                  min={0}
                  max={1000000}
                  aria-describedby="category-position-hint"
                  {...register('position')}
                />
                <p className="hint" id="category-position-hint">
                  Lower comes first among its siblings.
                </p>
              </div>
              <div className="field">
                <label htmlFor="category-description">Description</label>
                <textarea id="category-description" rows={4} {...register('description')} />
              </div>
              <div className="row">
                <button type="submit" className="button button-primary" disabled={formState.isSubmitting}>
                  {selected ? 'Save' : 'Create'}
                </button>
                {saved && <Notice>{saved}</Notice>}
              </div>
            </form>
          )}
        </Card>
      </div>
    </>
  );
}
