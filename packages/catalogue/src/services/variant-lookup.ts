import { assertInput, authorize, type AccessRule, type RequestContext } from '@shopstack/kernel';
import type { StockRepository } from '../repositories/stock.js';
import type { VariantLookup } from '../schemas/product.js';
import { VariantLookupQuery } from '../schemas/stock.js';
import type { ProductReader } from './product-reader.js';

/** The cart checks lines and checkout prices orders by variant; staff may look too. */
export const LOOKS_UP_VARIANTS: AccessRule = { staff: true, services: ['cart', 'orders'] };

/**
 * Finds a published variant by SKU or id for another service, with its product's page (from the
 * read index) and its exact available units (from its row, which stock changes update first).
 */
export class VariantLookupService {
  constructor(
    private readonly stock: StockRepository,
    private readonly reader: ProductReader,
  ) {}

  /** The variant, its product and its available units; null when it is unknown or not on sale. */
  async lookup(ctx: RequestContext, ref: VariantLookupQuery): Promise<VariantLookup | null> {
    authorize(ctx, LOOKS_UP_VARIANTS, 'look variants up');
    assertInput(VariantLookupQuery, ref);
    const row = await this.stock.findPublishedVariant(
      ref.sku !== undefined ? { sku: ref.sku } : { variantId: ref.variantId! },
    );
    if (!row) return null;
    // The row says on sale; the index shows a product published a moment ago once its refresh ran.
    const product = await this.reader.getProduct(ctx, row.product_id);
    return product ? { product, variantId: row.variant_id, available: row.available } : null;
  }
}
