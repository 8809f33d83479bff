/** What filters and facets read of one product. */
export interface FacetFacts {
  /** Category ordinal, or -1 without one. */
  category: number;
  /** Lowest price in minor units (ignored when bucket is -1). */
  price: number;
  /** Price facet bucket, or -1 without a price. */
  bucket: number;
  inStock: boolean;
  /** Distinct attribute value ids. */
  attributes: readonly number[];
}

/**
 * The facts every listing scans, one typed array per fact indexed by product slot, attribute ids
 * packed into one shared pool. A scan over a large catalogue then reads memory in order instead of
 * chasing one object per product, which is what keeps a listing of 100,000 products in milliseconds.
 */
export class FacetColumns {
  category = new Int32Array(0);
  price = new Int32Array(0);
  bucket = new Int8Array(0);
  stock = new Uint8Array(0);
  attributeStart = new Int32Array(0);
  attributeCount = new Uint16Array(0);
  pool = new Int32Array(1024);
  private poolUsed = 0;
  private poolLive = 0;

  set(slot: number, facts: FacetFacts): void {
    this.ensure(slot);
    this.clear(slot);
    this.category[slot] = facts.category;
    this.price[slot] = facts.price;
    this.bucket[slot] = facts.bucket;
    this.stock[slot] = facts.inStock ? 1 : 0;
    const count = Math.min(facts.attributes.length, 0xffff);
    this.reserve(count);
    this.attributeStart[slot] = this.poolUsed;
    this.attributeCount[slot] = count;
    for (let i = 0; i < count; i++) this.pool[this.poolUsed + i] = facts.attributes[i]!;
    this.poolUsed += count;
    this.poolLive += count;
  }

  /** Empties a slot: it matches no category, price or attribute. */
  clear(slot: number): void {
    if (slot >= this.category.length) return;
    this.poolLive -= this.attributeCount[slot]!;
    this.attributeCount[slot] = 0;
    this.category[slot] = -1;
    this.bucket[slot] = -1;
    this.stock[slot] = 0;
  }

  setCategory(slot: number, category: number): void {
    this.category[slot] = category;
  }

  hasAttribute(slot: number, attribute: number): boolean {
    const start = this.attributeStart[slot]!;
    const end = start + this.attributeCount[slot]!;
    for (let i = start; i < end; i++) if (this.pool[i] === attribute) return true;
    return false;
  }

  /** Whether a slot holds exactly these attribute ids, in this order. */
  sameAttributes(slot: number, attributes: readonly number[]): boolean {
    if (slot >= this.category.length || this.attributeCount[slot] !== attributes.length) return false;
    const start = this.attributeStart[slot]!;
    for (let i = 0; i < attributes.length; i++) if (this.pool[start + i] !== attributes[i]) return false;
    return true;
  }

  private ensure(slot: number): void {
    if (slot < this.category.length) return;
    const size = Math.max(1024, this.category.length * 2, slot + 1);
    const grow = <T extends Int32Array | Int8Array | Uint8Array | Uint16Array>(
      old: T,
      make: (n: number) => T,
      fill = 0,
    ) => {
      const next = make(size);
      next.fill(fill);
      next.set(old);
      return next;
    };
    this.category = grow(this.category, (n) => new Int32Array(n), -1);
    this.price = grow(this.price, (n) => new Int32Array(n));
    this.bucket = grow(this.bucket, (n) => new Int8Array(n), -1);
    this.stock = grow(this.stock, (n) => new Uint8Array(n));
    this.attributeStart = grow(this.attributeStart, (n) => new Int32Array(n));
    this.attributeCount = grow(this.attributeCount, (n) => new Uint16Array(n));
  }

  /** Makes room for count more ids: compacts when most of the pool is dead runs, grows otherwise. */
  private reserve(count: number): void {
    if (this.poolUsed + count <= this.pool.length) return;
    const live = this.poolLive + count;
    const size = Math.max(1024, live * 2);
    const next = new Int32Array(size > this.pool.length ? size : this.pool.length);
    let used = 0;
    for (let slot = 0; slot < this.attributeCount.length; slot++) {
      const n = this.attributeCount[slot]!;
      if (n === 0) continue;
      const start = this.attributeStart[slot]!;
      next.set(this.pool.subarray(start, start + n), used);
      this.attributeStart[slot] = used;
      used += n;
    }
    this.pool = next;
    this.poolUsed = used;
  }
}
