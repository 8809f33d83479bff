import {
  assertInput,
  assertStoreCurrency,
  authorize,
  STAFF,
  Conflict,
  InvalidInput,
  NotFound,
  newId,
  type RequestContext,
  type ServiceRuntime,
} from '@shopstack/kernel';
import {
  CatalogueWriteRepository,
  type CategoryChanges,
  type ProductChanges,
  type VariantChanges,
} from '../repositories/catalogue-write.js';
import { StaffProductListRepository } from '../repositories/staff-product-list.js';
import {
  CreateCategoryInput,
  CreateProductInput,
  CreateVariantInput,
  UpdateCategoryInput,
  UpdateProductInput,
  UpdateVariantInput,
  type ImportReport,
  type StaffCategory,
  type StaffProduct,
  type StaffProductPage,
  type StaffProductListQuery,
  type StaffVariant,
} from '../schemas/admin.js';
import type { CatalogueChange } from '../search/catalogue-index.js';
import type { CatalogueTables } from '../tables.js';
import {
  assertDistinctSkus,
  assertVariantCurrencies,
  conflictFromUniqueViolation,
  firstFreeSlug,
  newVariantRow,
  slugify,
} from './catalogue-rules.js';
import { CatalogueImport, type ImportSource } from './import.js';
import { ProductRatingRepository } from '../repositories/product-ratings.js';
import { toStaffCategory, toStaffProduct, toStaffSummary, toStaffVariant } from './staff-views.js';

/**
 * Staff writes to the catalogue: products, variants and categories. Each write is one transaction;
 * once it commits, the read index shows it before the write answers.
 */
export class CatalogueAdmin {
  private readonly repo: CatalogueWriteRepository;
  private readonly staffList: StaffProductListRepository;
  private readonly ratings: ProductRatingRepository;
  private readonly importer: CatalogueImport;

  constructor(
    private readonly runtime: ServiceRuntime<CatalogueTables>,
    private readonly changed: (change: CatalogueChange) => Promise<void>,
  ) {
    this.repo = new CatalogueWriteRepository(runtime.uow, runtime.schema);
    this.staffList = new StaffProductListRepository(runtime.db, runtime.schema);
    this.ratings = new ProductRatingRepository(runtime.uow, runtime.schema);
    this.importer = new CatalogueImport(runtime, changed);
  }

  private get currency(): string {
    return this.runtime.store.currency;
  }

  /** Runs one write transaction, then brings the read index up to date with what it changed. */
  private async write<T>(
    ctx: RequestContext,
    work: (tx: CatalogueWriteRepository) => Promise<T>,
    change: (result: T) => CatalogueChange,
  ): Promise<T> {
    let result: T;
    try {
      result = await this.runtime.uow.transaction(ctx, (txCtx) => work(this.repo.in(txCtx)));
    } catch (err) {
      throw conflictFromUniqueViolation(err);
    }
    await this.changed(change(result));
    return result;
  }

  /** Creates a product with its variants (stock included) in one transaction. */
  async createProduct(ctx: RequestContext, input: CreateProductInput): Promise<StaffProduct> {
    authorize(ctx, STAFF, 'create products');
    assertInput(CreateProductInput, input);
    const variants = input.variants ?? [];
    assertVariantCurrencies(variants, this.currency, 'variants');
    assertDistinctSkus(variants.map((v) => v.sku));
    const id = newId();
    await this.write(
      ctx,
      async (tx) => {
        const categoryId = await this.existingCategory(tx, input.categoryId, 'categoryId');
        await this.insertUnderFreeSlug(tx, 'products', input.slug, input.name, (slug) =>
          tx.insertProduct({
            id,
            slug,
            name: input.name,
            description: input.description ?? '',
            status: input.status ?? 'draft',
            category_id: categoryId,
            options: input.options ?? [],
            images: input.images ?? [],
            currency: this.currency,
          }),
        );
        await this.assertSkusFree(
          tx,
          variants.map((v) => v.sku),
        );
        await tx.insertVariants(variants.map((v, i) => newVariantRow(id, v, i)));
        await tx.refreshPriceRange(id);
      },
      () => ({ products: [id] }),
    );
    ctx.log.info({ productId: id, variants: variants.length }, 'product created');
    return this.getProductForStaff(ctx, id);
  }

  /** Changes a product's own fields; variants and stock have their own endpoints. */
  async updateProduct(ctx: RequestContext, id: string, patch: UpdateProductInput): Promise<StaffProduct> {
    authorize(ctx, STAFF, 'change products');
    assertInput(UpdateProductInput, patch);
    await this.write(
      ctx,
      async (tx) => {
        const current = await tx.findProduct(id);
        if (!current) throw new NotFound(`There is no product ${id}.`, { code: 'product_not_found' });
        const changes: ProductChanges = {};
        if (patch.name !== undefined) changes.name = patch.name;
        if (patch.description !== undefined) changes.description = patch.description;
        if (patch.status !== undefined) changes.status = patch.status;
        if (patch.options !== undefined) changes.options = patch.options;
        if (patch.images !== undefined) changes.images = patch.images;
        if (patch.categoryId !== undefined) {
          changes.category_id = await this.existingCategory(tx, patch.categoryId, 'categoryId');
        }
        if (patch.slug !== undefined && patch.slug !== current.slug) {
          if (await tx.findProductBySlug(patch.slug))
            throw new Conflict(`Slug ${patch.slug} is already taken.`, {
              code: 'slug_taken',
              slug: patch.slug,
            });
          changes.slug = patch.slug;
        }
        await tx.updateProduct(id, changes);
      },
      () => ({ products: [id] }),
    );
    ctx.log.info({ productId: id }, 'product updated');
    return this.getProductForStaff(ctx, id);
  }

  /** Withdraws a product from sale; its rows stay for orders that reference it. Repeating is harmless. */
  async archiveProduct(ctx: RequestContext, id: string): Promise<StaffProduct> {
    authorize(ctx, STAFF, 'archive products');
    await this.write(
      ctx,
      async (tx) => {
        if (!(await tx.updateProduct(id, { status: 'archived' })))
          throw new NotFound(`There is no product ${id}.`, { code: 'product_not_found' });
      },
      () => ({ products: [id] }),
    );
    ctx.log.info({ productId: id }, 'product archived');
    return this.getProductForStaff(ctx, id);
  }

  /** Adds a variant to a product and refreshes the product's price range. */
  async addVariant(ctx: RequestContext, productId: string, input: CreateVariantInput): Promise<StaffVariant> {
    authorize(ctx, STAFF, 'add variants');
    assertInput(CreateVariantInput, input);
    assertStoreCurrency(input.price, this.currency, 'price');
    assertStoreCurrency(input.compareAtPrice, this.currency, 'compareAtPrice');
    const variantId = await this.write(
      ctx,
      async (tx) => {
        if (!(await tx.findProduct(productId)))
          throw new NotFound(`There is no product ${productId}.`, { code: 'product_not_found' });
        await this.assertSkusFree(tx, [input.sku]);
        const row = newVariantRow(productId, input, (await tx.listVariants(productId)).length);
        await tx.insertVariants([row]);
        await tx.refreshPriceRange(productId);
        return row.id;
      },
      () => ({ products: [productId] }),
    );
    ctx.log.info({ productId, variantId, sku: input.sku }, 'variant added');
    return this.variantForStaff(variantId);
  }

  /** Changes a variant (price, SKU, attributes, ...); stock is changed through the stock service. */
  async updateVariant(ctx: RequestContext, id: string, patch: UpdateVariantInput): Promise<StaffVariant> {
    authorize(ctx, STAFF, 'change variants');
    assertInput(UpdateVariantInput, patch);
    assertStoreCurrency(patch.price, this.currency, 'price');
    assertStoreCurrency(patch.compareAtPrice, this.currency, 'compareAtPrice');
    await this.write(
      ctx,
      async (tx) => {
        const current = await tx.findVariant(id);
        if (!current) throw new NotFound(`There is no variant ${id}.`, { code: 'variant_not_found' });
        const changes: VariantChanges = {};
        if (patch.sku !== undefined && patch.sku !== current.sku) {
          await this.assertSkusFree(tx, [patch.sku]);
          changes.sku = patch.sku;
        }
        if (patch.title !== undefined) changes.title = patch.title;
        if (patch.price !== undefined) changes.price = patch.price.amount;
        if (patch.compareAtPrice !== undefined)
          changes.compare_at_price = patch.compareAtPrice?.amount ?? null;
        if (patch.weightGrams !== undefined) changes.weight_grams = patch.weightGrams;
        if (patch.attributes !== undefined) changes.attributes = patch.attributes;
        if (patch.position !== undefined) changes.position = patch.position;
        await tx.updateVariant(id, changes);
        if (changes.price !== undefined) await tx.refreshPriceRange(current.product_id);
        return current.product_id;
      },
      (productId) => ({ products: [productId] }),
    );
    ctx.log.info({ variantId: id }, 'variant updated');
    return this.variantForStaff(id);
  }

  /** Creates a category under a parent (or at the root); its path is the parent's path plus its id. */
  async createCategory(ctx: RequestContext, input: CreateCategoryInput): Promise<StaffCategory> {
    authorize(ctx, STAFF, 'create categories');
    assertInput(CreateCategoryInput, input);
    const id = newId();
    await this.write(
      ctx,
      async (tx) => {
        // The share lock keeps the parent from moving until this category carries its path.
        const parent = input.parentId ? await tx.findCategoryForShare(input.parentId) : null;
        if (input.parentId && !parent)
          throw new InvalidInput(`There is no category ${input.parentId}.`, 'parentId', {
            code: 'category_not_found',
          });
        await this.insertUnderFreeSlug(tx, 'categories', input.slug, input.name, (slug) =>
          tx.insertCategory({
            id,
            parent_id: parent?.id ?? null,
            slug,
            name: input.name,
            description: input.description ?? '',
            path: `${parent?.path ?? '/'}${id}/`,
            position: input.position ?? 0,
          }),
        );
      },
      () => ({ categories: [id] }),
    );
    ctx.log.info({ categoryId: id }, 'category created');
    return this.categoryForStaff(id);
  }

  /** Renames or moves a category; a move rewrites the paths of everything below it, and cycles are refused. */
  async updateCategory(ctx: RequestContext, id: string, patch: UpdateCategoryInput): Promise<StaffCategory> {
    authorize(ctx, STAFF, 'change categories');
    assertInput(UpdateCategoryInput, patch);
    await this.write(
      ctx,
      async (tx) => {
        const moving = patch.parentId !== undefined;
        if (moving) await tx.lockCategoryTree();
        const current = await tx.findCategory(id);
        if (!current) throw new NotFound(`There is no category ${id}.`, { code: 'category_not_found' });
        const changes: CategoryChanges = {};
        if (patch.name !== undefined) changes.name = patch.name;
        if (patch.description !== undefined) changes.description = patch.description;
        if (patch.position !== undefined) changes.position = patch.position;
        if (patch.slug !== undefined && patch.slug !== current.slug) {
          if ((await tx.findCategoriesBySlugs([patch.slug])).length) {
            throw new Conflict(`Slug ${patch.slug} is already taken.`, {
              code: 'slug_taken',
              slug: patch.slug,
            });
          }
          changes.slug = patch.slug;
        }
        if (moving && (patch.parentId ?? null) !== current.parent_id) {
          const parent = patch.parentId ? await tx.findCategory(patch.parentId) : null;
          if (patch.parentId && !parent)
            throw new InvalidInput(`There is no category ${patch.parentId}.`, 'parentId', {
              code: 'category_not_found',
            });
          if (parent && parent.path.startsWith(current.path)) {
            throw new Conflict(`Category ${id} cannot move below itself.`, {
              code: 'category_cycle',
              parentId: parent.id,
            });
          }
          changes.parent_id = parent?.id ?? null;
          await tx.repath(current.path, `${parent?.path ?? '/'}${id}/`);
        }
        await tx.updateCategory(id, changes);
      },
      () => ({ categories: [id] }),
    );
    ctx.log.info({ categoryId: id }, 'category updated');
    return this.categoryForStaff(id);
  }

  /** A product in any status, with every variant and its stock, as staff see it. */
  async getProductForStaff(ctx: RequestContext, id: string): Promise<StaffProduct> {
    authorize(ctx, STAFF, 'see the staff view of products');
    const row = await this.repo.findProduct(id);
    if (!row) throw new NotFound(`There is no product ${id}.`, { code: 'product_not_found' });
    const [variants, rating] = await Promise.all([this.repo.listVariants(id), this.ratings.find(ctx, id)]);
    return toStaffProduct(row, variants, rating);
  }

  /** Products in any status, newest first, one page at a time. */
  async listProductsForStaff(ctx: RequestContext, query: StaffProductListQuery): Promise<StaffProductPage> {
    authorize(ctx, STAFF, 'see the staff view of products');
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 20;
    const { rows, total } = await this.staffList.page({
      offset: (page - 1) * pageSize,
      limit: pageSize,
      status: query.status,
      q: query.q,
    });
    return {
      items: rows.map(toStaffSummary),
      total,
      page,
      pageSize,
    };
  }

  /** A category as staff see it. */
  async getCategoryForStaff(ctx: RequestContext, id: string): Promise<StaffCategory> {
    authorize(ctx, STAFF, 'see the staff view of categories');
    return this.categoryForStaff(id);
  }

  /** Creates or updates products in bulk from JSON items or CSV text; see CatalogueImport. */
  async importProducts(ctx: RequestContext, source: ImportSource): Promise<ImportReport> {
    return this.importer.run(ctx, source);
  }

  private async variantForStaff(id: string): Promise<StaffVariant> {
    const row = await this.repo.findVariant(id);
    if (!row) throw new NotFound(`There is no variant ${id}.`, { code: 'variant_not_found' });
    return toStaffVariant(row);
  }

  private async categoryForStaff(id: string): Promise<StaffCategory> {
    const row = await this.repo.findCategory(id);
    if (!row) throw new NotFound(`There is no category ${id}.`, { code: 'category_not_found' });
    return toStaffCategory(row);
  }

  private async existingCategory(
    tx: CatalogueWriteRepository,
    categoryId: string | null | undefined,
    field: string,
  ): Promise<string | null> {
    if (!categoryId) return null;
    if (!(await tx.findCategory(categoryId)))
      throw new InvalidInput(`There is no category ${categoryId}.`, field, { code: 'category_not_found' });
    return categoryId;
  }

  /**
   * Inserts a row under the given slug (Conflict if taken) or under the first free slug made from the
   * name. The insert itself decides whether a slug is free, so when a concurrent write takes the slug
   * first this one moves on to the next instead of failing.
   */
  private async insertUnderFreeSlug(
    tx: CatalogueWriteRepository,
    table: 'products' | 'categories',
    given: string | undefined,
    name: string,
    insert: (slug: string) => Promise<boolean>,
  ): Promise<void> {
    if (given) {
      if (!(await insert(given)))
        throw new Conflict(`Slug ${given} is already taken.`, { code: 'slug_taken', slug: given });
      return;
    }
    const base = slugify(name, table === 'products' ? 'product' : 'category');
    const taken = await tx.slugsLike(table, base);
    for (;;) {
      const slug = firstFreeSlug(base, taken);
      if (await insert(slug)) return;
      taken.add(slug);
    }
  }

  private async assertSkusFree(tx: CatalogueWriteRepository, skus: string[]): Promise<void> {
    const [taken] = await tx.findVariantsBySkus(skus);
    if (taken)
      throw new Conflict(`SKU ${taken.sku} is already taken.`, { code: 'sku_taken', sku: taken.sku });
  }
}
