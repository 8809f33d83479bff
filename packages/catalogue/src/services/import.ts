import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import {
  inputIssues,
  authorize,
  STAFF,
  DomainError,
  InvalidInput,
  newId,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import { CatalogueWriteRepository, type NewVariant } from '../repositories/catalogue-write.js';
import {
  IMPORT_MAX_ITEMS,
  IMPORT_MAX_VARIANTS,
  ImportProductInput,
  type ImportError,
  type ImportReport,
} from '../schemas/admin.js';
import type { CatalogueChange } from '../search/catalogue-index.js';
import type { CatalogueTables } from '../tables.js';
import { assertVariantCurrencies, newVariantRow, slugify, uniqueViolation } from './catalogue-rules.js';
import { candidatesFromCsv, type ImportCandidate } from './import-csv.js';

/** Products written per transaction on the embedded database: other requests wait at most a moment. */
const IMPORT_CHUNK = 25;
/** Products checked between two turns of the event loop. */
const CHECK_SLICE = 250;

/** What an import reads: parsed JSON items (products) or CSV text (one row per variant). */
export type ImportSource = { format: 'json'; items: unknown[] } | { format: 'csv'; text: string };

interface Checked {
  candidate: ImportCandidate;
  input: ImportProductInput;
  categoryId: string | null | undefined;
}

function candidatesFromJson(items: unknown[]): ImportCandidate[] {
  if (items.length > IMPORT_MAX_ITEMS) {
    throw new InvalidInput(`An import may hold at most ${IMPORT_MAX_ITEMS} products.`, 'body', {
      code: 'import_too_many_rows',
      maxRows: IMPORT_MAX_ITEMS,
    });
  }
  const variants = items.reduce<number>((sum, item) => {
    const list = (item as { variants?: unknown } | null)?.variants;
    return sum + (Array.isArray(list) ? list.length : 0);
  }, 0);
  if (variants > IMPORT_MAX_VARIANTS) {
    throw new InvalidInput(`An import may hold at most ${IMPORT_MAX_VARIANTS} variants.`, 'body', {
      code: 'import_too_many_variants',
      maxVariants: IMPORT_MAX_VARIANTS,
    });
  }
  return items.map((item, i) => {
    const row = i + 1;
    const locate = (field: string) => ({ row, field });
    if (!item || typeof item !== 'object' || Array.isArray(item))
      return { row, key: '', input: item, locate };
    const fields = item as Record<string, unknown>;
    if (typeof fields.slug === 'string') return { row, key: fields.slug, input: fields, locate };
    // A slug of the wrong type stays in place, so the schema check reports it instead of a name standing in.
    if (fields.slug !== undefined || typeof fields.name !== 'string')
      return { row, key: '', input: fields, locate };
    const key = slugify(fields.name, 'product');
    return { row, key, input: { ...fields, slug: key }, locate };
  });
}

/** A unique or check violation inside one product's savepoint belongs to that product, not to the import. */
function productError(err: unknown): { field: string; message: string } | undefined {
  if (err instanceof InvalidInput) return { field: err.field ?? '(row)', message: err.message };
  if (err instanceof DomainError) {
    const sku = err.details.sku;
    return { field: typeof sku === 'string' ? 'sku' : '(row)', message: err.message };
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (uniqueViolation(err))
    return { field: '(row)', message: String((err as { detail?: unknown }).detail ?? 'already exists') };
  if (code === '23514') return { field: '(row)', message: 'breaks a stock or price rule' };
  return undefined;
}

/**
 * Bulk create-or-update of products: a product is matched by slug, a variant by SKU. Every product
 * is checked first; a product with any invalid row is skipped and each bad row reported. The valid
 * products are then written (on the embedded database in transactions of 25), each product inside
 * its own savepoint, so a product never half-applies and the rest still go in.
 */
export class CatalogueImport {
  private readonly repo: CatalogueWriteRepository;
  /** The embedded database's imports run one at a time (one process serves it). */
  private importing: Promise<void> = Promise.resolve();

  constructor(
    private readonly runtime: ServiceRuntime<CatalogueTables>,
    private readonly changed: (change: CatalogueChange) => Promise<void>,
  ) {
    this.repo = new CatalogueWriteRepository(runtime.uow, runtime.schema);
  }

  /** Imports the source and reports what was created, updated and refused (with row and field). */
  async run(ctx: RequestContext, source: ImportSource): Promise<ImportReport> {
    authorize(ctx, STAFF, 'import products');
    const report: ImportReport = {
      created: 0,
      updated: 0,
      skipped: 0,
      variants: { created: 0, updated: 0 },
      errors: [],
    };
    let candidates: ImportCandidate[];
    let broken = new Set<string>();
    if (source.format === 'csv') {
      const read = await candidatesFromCsv(source.text, this.runtime.store.currency);
      candidates = read.candidates;
      broken = read.broken;
      report.errors.push(...read.errors);
    } else {
      candidates = candidatesFromJson(source.items);
    }

    const checked = await this.check(candidates, broken, report.errors);
    report.skipped = candidates.length - checked.length;
    const touched = new Set<string>();
    try {
      if (checked.length) await this.apply(ctx, checked, report, touched);
    } finally {
      // Chunks committed before a failure are in the catalogue: the read index must show them.
      if (touched.size) await this.changed({ products: [...touched] });
    }
    report.errors.sort((a, b) => a.row - b.row);
    ctx.log.info(
      { format: source.format, created: report.created, updated: report.updated, skipped: report.skipped },
      'catalogue import finished',
    );
    return report;
  }

  /** Schema, currency, category and SKU ownership checks; returns the products that pass. */
  private async check(
    candidates: ImportCandidate[],
    broken: Set<string>,
    errors: ImportError[],
  ): Promise<Checked[]> {
    const fail = (candidate: ImportCandidate, path: string, message: string) => {
      errors.push({ ...candidate.locate(path), message });
      return false;
    };
    const seenKeys = new Map<string, number>();
    const skuOwner = new Map<string, string>();
    const passed: Array<{ candidate: ImportCandidate; input: ImportProductInput }> = [];

    for (const [i, candidate] of candidates.entries()) {
      // Checking thousands of products takes a while: let other requests through now and then.
      if (i % CHECK_SLICE === CHECK_SLICE - 1) await yieldToEventLoop();
      if (broken.has(candidate.key)) continue;
      const issues = inputIssues(ImportProductInput, candidate.input);
      if (issues.length) {
        const located = new Set<string>();
        for (const issue of issues) {
          const at = candidate.locate(issue.field);
          if (located.has(`${at.row}:${at.field}`)) continue;
          located.add(`${at.row}:${at.field}`);
          errors.push({ ...at, message: issue.message });
        }
        continue;
      }
      const input = candidate.input as ImportProductInput;
      const earlier = seenKeys.get(candidate.key);
      if (earlier !== undefined) {
        fail(candidate, 'slug', `repeats the product of row ${earlier}`);
        continue;
      }
      seenKeys.set(candidate.key, candidate.row);
      try {
        assertVariantCurrencies(input.variants ?? [], this.runtime.store.currency, 'variants');
      } catch (err) {
        if (!(err instanceof InvalidInput)) throw err;
        fail(candidate, err.field ?? 'variants', err.message);
        continue;
      }
      const clash = (input.variants ?? []).findIndex((v, i) => {
        const owner = skuOwner.get(v.sku);
        return (
          (owner !== undefined && owner !== candidate.key) ||
          input.variants!.findIndex((w) => w.sku === v.sku) !== i
        );
      });
      if (clash >= 0) {
        fail(
          candidate,
          `variants.${clash}.sku`,
          `SKU ${input.variants![clash]!.sku} appears more than once in this import`,
        );
        continue;
      }
      for (const v of input.variants ?? []) skuOwner.set(v.sku, candidate.key);
      passed.push({ candidate, input });
    }

    const categorySlugs = [
      ...new Set(passed.map((p) => p.input.categorySlug).filter((s): s is string => !!s)),
    ];
    const categories = new Map(
      (await this.repo.findCategoriesBySlugs(categorySlugs)).map((c) => [c.slug, c.id]),
    );
    const skus = passed.flatMap((p) => (p.input.variants ?? []).map((v) => v.sku));
    const owners = new Map((await this.repo.findVariantOwners(skus)).map((o) => [o.sku, o.product_slug]));

    return passed
      .filter(({ candidate, input }) => {
        if (input.categorySlug && !categories.has(input.categorySlug)) {
          return fail(candidate, 'categorySlug', `there is no category ${input.categorySlug}`);
        }
        const taken = (input.variants ?? []).findIndex(
          (v) => (owners.get(v.sku) ?? candidate.key) !== candidate.key,
        );
        if (taken >= 0) {
          const sku = input.variants![taken]!.sku;
          return fail(candidate, `variants.${taken}.sku`, `SKU ${sku} belongs to product ${owners.get(sku)}`);
        }
        return true;
      })
      .map(({ candidate, input }) => ({
        candidate,
        input,
        categoryId:
          input.categorySlug === undefined
            ? undefined
            : input.categorySlug && categories.get(input.categorySlug)!,
      }));
  }

  /**
   * Writes the products. On PostgreSQL, in one transaction: readers are not held up by it. On the
   * embedded database a transaction holds the whole database, so there the products go in chunks,
   * one transaction each, and other requests get the database between chunks; imports of this
   * process take turns whole, so two of them still apply one after the other.
   */
  private async apply(
    ctx: RequestContext,
    products: Checked[],
    report: ImportReport,
    touched: Set<string>,
  ): Promise<void> {
    if (this.runtime.database.kind === 'postgres') return this.applyChunk(ctx, products, 0, report, touched);
    const turn = this.importing.then(async () => {
      for (let start = 0; start < products.length; start += IMPORT_CHUNK) {
        await this.applyChunk(ctx, products.slice(start, start + IMPORT_CHUNK), start, report, touched);
      }
    });
    this.importing = turn.catch(() => {});
    return turn;
  }

  private async applyChunk(
    ctx: RequestContext,
    products: Checked[],
    offset: number,
    report: ImportReport,
    touched: Set<string>,
  ): Promise<void> {
    const skus = products.flatMap((p) => (p.input.variants ?? []).map((v) => v.sku));
    await this.runtime.uow.transaction(ctx, async (txCtx) => {
      const tx = this.repo.in(txCtx);
      await tx.serializeBulkWrites();
      await tx.lockVariantsBySku(skus);
      for (const [i, product] of products.entries()) {
        const counts = { variantsCreated: 0, variantsUpdated: 0 };
        try {
          const created = await tx.savepoint(`import_${offset + i}`, () =>
            this.upsert(tx, product, counts, touched),
          );
          if (created) report.created++;
          else report.updated++;
          report.variants.created += counts.variantsCreated;
          report.variants.updated += counts.variantsUpdated;
        } catch (err) {
          const problem = productError(err);
          if (!problem) throw err;
          report.errors.push({ ...product.candidate.locate(problem.field), message: problem.message });
          report.skipped++;
        }
      }
    });
  }

  /** Writes one product and its variants; true when the product is new. */
  private async upsert(
    tx: CatalogueWriteRepository,
    { input, categoryId }: Checked,
    counts: { variantsCreated: number; variantsUpdated: number },
    touched: Set<string>,
  ): Promise<boolean> {
    const existing = await tx.findProductBySlug(input.slug!);
    const productId = existing?.id ?? newId();
    touched.add(productId);
    if (existing) {
      await tx.updateProduct(productId, {
        name: input.name,
        description: input.description,
        status: input.status,
        category_id: categoryId,
        options: input.options,
        images: input.images,
      });
    } else {
      const inserted = await tx.insertProduct({
        id: productId,
        slug: input.slug!,
        name: input.name,
        description: input.description ?? '',
        status: input.status ?? 'draft',
        category_id: categoryId ?? null,
        options: input.options ?? [],
        images: input.images ?? [],
        currency: this.runtime.store.currency,
      });
      if (!inserted)
        throw new InvalidInput(`slug ${input.slug} was taken by a product created meanwhile`, 'slug', {
          code: 'slug_taken',
        });
    }
    const current = existing ? await tx.listVariants(productId) : [];
    const bySku = new Map(current.map((v) => [v.sku, v]));
    const fresh: NewVariant[] = [];
    for (const [i, variant] of (input.variants ?? []).entries()) {
      const found = bySku.get(variant.sku);
      if (!found) {
        fresh.push(newVariantRow(productId, variant, current.length + i));
        continue;
      }
      await tx.updateVariant(found.id, {
        title: variant.title,
        price: variant.price.amount,
        compare_at_price:
          variant.compareAtPrice === undefined ? undefined : (variant.compareAtPrice?.amount ?? null),
        weight_grams: variant.weightGrams,
        attributes: variant.attributes,
        position: variant.position,
      });
      if (variant.onHand !== undefined && !(await tx.setOnHandById(found.id, variant.onHand))) {
        throw new InvalidInput(
          `${found.reserved} units of ${variant.sku} are reserved: stock cannot be set to ${variant.onHand}.`,
          `variants.${i}.onHand`,
        );
      }
      counts.variantsUpdated++;
    }
    await tx.insertVariants(fresh);
    counts.variantsCreated += fresh.length;
    await tx.refreshPriceRange(productId);
    return !existing;
  }
}
