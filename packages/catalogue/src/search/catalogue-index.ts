import { createHash, randomUUID } from 'node:crypto';
import type { Database, Logger } from '@shopstack/kernel';
import type {
  CatalogueReadRepository,
  CategoryRow,
  IndexedProductRow,
} from '../repositories/catalogue-read.js';
import type { CategoryNode } from '../schemas/category.js';
import type { ListingRequest, ListingResult, SearchableProduct, SearchEngine } from './engine.js';
import { MemorySearchEngine } from './memory-engine.js';

/** What changed in the catalogue: products by id, categories by id, or everything. */
export interface CatalogueChange {
  products?: readonly string[];
  categories?: readonly string[];
  all?: boolean;
}

/** A published product's documents as shoppers get them. */
export interface ProductDocument {
  id: string;
  slug: string;
  categoryId: string | null;
  /** ProductSummary as JSON text. */
  summary: string;
  /** ProductDetail as JSON text. */
  detail: string;
  /** Entity tag of the detail document. */
  etag: string;
}

const CHANNEL = 'shopstack_catalogue';
/** PostgreSQL refuses NOTIFY payloads of 8,000 bytes or more; a longer change is sent as "everything". */
const MAX_PAYLOAD = 7_500;
const RETRY_MS = 1_000;

interface ChangeMessage extends CatalogueChange {
  from: string;
  scope: string;
}

interface Waiter {
  resolve: () => void;
}

/** The database writes JSON with spaces around every colon; compacting once makes every answer smaller. */
function compactJson(json: string): string {
  return JSON.stringify(JSON.parse(json));
}

function toDocument(row: IndexedProductRow): ProductDocument {
  const detail = compactJson(row.detail);
  return {
    id: row.id,
    slug: row.slug,
    categoryId: row.category_id,
    summary: compactJson(row.summary),
    detail,
    etag: `W/"${createHash('sha1').update(detail).digest('base64url').slice(0, 22)}"`,
  };
}

function toSearchable(row: IndexedProductRow): SearchableProduct {
  const facts = JSON.parse(row.variant_facts) as Array<[Record<string, string>, boolean]>;
  const pairs = new Map<string, [string, string]>();
  for (const [attributes] of facts) {
    for (const [name, value] of Object.entries(attributes)) pairs.set(`${name}\u0000${value}`, [name, value]);
  }
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    categoryId: row.category_id,
    minPrice: row.min_price === null ? null : Number(row.min_price),
    createdKey: row.created_key,
    inStock: facts.some(([, inStock]) => inStock),
    attributes: [...pairs.values()],
  };
}

/**
 * The catalogue's public read side in memory: every published product's listing and page
 * documents, the category tree, and a search engine over them. It is a view derived from the
 * database, loaded at start and kept current as the catalogue changes: writes in this process
 * refresh the products they touched before they answer, and tell the other processes on the same
 * PostgreSQL database (NOTIFY) to do the same. Refreshes run one batch at a time, so an older read
 * of a product can never overwrite a newer one.
 */
export class CatalogueIndex {
  private engine: SearchEngine = new MemorySearchEngine();
  private documents = new Map<string, ProductDocument>();
  private slugs = new Map<string, string>();
  private categoryRows: CategoryRow[] = [];
  private treeJson: string | null = null;
  private version = 0;
  /** Counts full reloads: each one starts a new engine. */
  private generation = 0;
  private readonly epoch = randomUUID().slice(0, 8);
  private readonly self = randomUUID();

  private pendingProducts = new Set<string>();
  private pendingCategories = new Set<string>();
  private pendingAll = false;
  private waiters: Waiter[] = [];
  private draining: Promise<void> | null = null;
  /** Changes waiting for the notification being sent to finish: they go together in the next one. */
  private unsent: CatalogueChange | null = null;
  private sending: Promise<void> | null = null;
  private stopListening: (() => Promise<void>) | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly repository: CatalogueReadRepository,
    private readonly database: Database,
    private readonly logger: Logger,
  ) {}

  /** Loads the whole catalogue and starts following changes made by other processes. */
  async start(): Promise<void> {
    const started = performance.now();
    await this.reloadAll();
    this.logger.info(
      { products: this.documents.size, ms: Math.round(performance.now() - started) },
      'catalogue read index built',
    );
    this.stopListening = await this.database.listen(
      CHANNEL,
      (payload) => this.onMessage(payload),
      // Messages sent while the connection was down are lost: rebuild everything.
      () => void this.refresh({ all: true }),
    );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.stopListening?.();
    await this.draining?.catch(() => {});
  }

  /**
   * Names the state listings are in: changes when some listing's products, order, total or facets
   * may have changed, not with every stock count. Listings kept elsewhere are keyed by it.
   */
  get listingKey(): string {
    return `${this.epoch}-${this.generation}-${this.engine.listingVersion}`;
  }

  /** The summary documents of these products, or null when one of them is no longer published. */
  summaries(ids: readonly string[]): string[] | null {
    const items: string[] = [];
    for (const id of ids) {
      const doc = this.documents.get(id);
      if (!doc) return null;
      items.push(doc.summary);
    }
    return items;
  }

  /** Changes with every change to the catalogue: the entity tag of every listing. */
  get listingTag(): string {
    return `W/"${this.epoch}-${this.version}"`;
  }

  product(idOrSlug: string): ProductDocument | null {
    const id = this.documents.has(idOrSlug) ? idOrSlug : this.slugs.get(idOrSlug);
    return id === undefined ? null : (this.documents.get(id) ?? null);
  }

  /** One page of a listing as the engine answers it (product ids, position of the next page, total, facets). */
  list(request: ListingRequest): Promise<ListingResult> {
    return Promise.resolve(this.engine.list(request));
  }

  /** The public category tree with product counts, as JSON text. */
  async categoriesJson(): Promise<string> {
    if (this.treeJson !== null) return this.treeJson;
    const version = this.version;
    const counts = await this.engine.categoryCounts();
    const nodes = new Map<string, CategoryNode>();
    const roots: CategoryNode[] = [];
    for (const row of this.categoryRows) {
      nodes.set(row.id, {
        id: row.id,
        slug: row.slug,
        name: row.name,
        description: row.description,
        productCount: counts.get(row.id) ?? 0,
        children: [],
      });
    }
    for (const row of this.categoryRows) {
      const parent = row.parent_id === null ? undefined : nodes.get(row.parent_id);
      (parent ? parent.children : roots).push(nodes.get(row.id)!);
    }
    const json = JSON.stringify({ items: roots });
    if (version === this.version) this.treeJson = json;
    return json;
  }

  /**
   * Tells the index (and every other process on the database) about a committed change; resolves
   * once this process's index shows it.
   */
  async changed(change: CatalogueChange): Promise<void> {
    await this.refresh(change);
    await this.broadcast(change);
  }

  /** Refreshes what changed; resolves when a refresh that started after this call has finished. */
  refresh(change: CatalogueChange): Promise<void> {
    if (change.all) this.pendingAll = true;
    for (const id of change.products ?? []) this.pendingProducts.add(id);
    for (const id of change.categories ?? []) this.pendingCategories.add(id);
    const done = new Promise<void>((resolve) => this.waiters.push({ resolve }));
    this.kick();
    return done;
  }

  private kick(): void {
    if (this.draining || this.stopped) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.waiters.length) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.waiters.length) {
      const waiters = this.waiters;
      const change: CatalogueChange = {
        all: this.pendingAll,
        products: [...this.pendingProducts],
        categories: [...this.pendingCategories],
      };
      this.waiters = [];
      this.pendingAll = false;
      this.pendingProducts = new Set();
      this.pendingCategories = new Set();
      try {
        await this.apply(change);
      } catch (err) {
        // The write is committed whatever happens here; the index catches up by a full reload.
        this.logger.error({ err }, 'could not refresh the catalogue read index; reloading it shortly');
        this.scheduleRetry();
      }
      for (const waiter of waiters) waiter.resolve();
    }
  }

  private scheduleRetry(): void {
    if (this.retryTimer || this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.refresh({ all: true });
    }, RETRY_MS);
    this.retryTimer.unref();
  }

  private async apply(change: CatalogueChange): Promise<void> {
    if (change.all) return this.reloadAll();
    const products = new Set(change.products);
    if (change.categories?.length) {
      const changed = new Set(change.categories);
      const before = new Map(this.categoryRows.map((row) => [row.id, row]));
      await this.loadCategories();
      // Their documents name the category and its ancestors: those filed under a changed one, before or after.
      const under = (categoryId: string | null) =>
        categoryId !== null && [...changed].some((id) => before.get(categoryId)?.path.includes(`/${id}/`));
      for (const doc of this.documents.values()) if (under(doc.categoryId)) products.add(doc.id);
      for (const id of await this.repository.productsUnder([...changed])) products.add(id);
    }
    if (products.size) {
      const ids = [...products];
      const rows = await this.repository.published(ids);
      const found = new Set(rows.map((row) => row.id));
      await this.engine.upsert(rows.map(toSearchable));
      await this.engine.remove(ids.filter((id) => !found.has(id)));
      for (const id of ids) if (!found.has(id)) this.forget(id);
      for (const row of rows) this.remember(toDocument(row));
    }
    this.bump();
  }

  /** Builds a fresh engine and documents beside the current ones, then swaps them in. */
  private async reloadAll(): Promise<void> {
    const engine = new MemorySearchEngine();
    const documents = new Map<string, ProductDocument>();
    const slugs = new Map<string, string>();
    const categories = await this.repository.categories();
    engine.setCategories(categories.map((c) => this.searchableCategory(c)));
    for await (const rows of this.repository.allPublished()) {
      engine.upsert(rows.map(toSearchable));
      for (const row of rows) {
        const doc = toDocument(row);
        documents.set(doc.id, doc);
        slugs.set(doc.slug, doc.id);
      }
    }
    this.engine = engine;
    this.generation++;
    this.documents = documents;
    this.slugs = slugs;
    this.categoryRows = categories;
    this.bump();
  }

  private async loadCategories(): Promise<void> {
    const categories = await this.repository.categories();
    await this.engine.setCategories(categories.map((c) => this.searchableCategory(c)));
    this.categoryRows = categories;
  }

  private searchableCategory(row: CategoryRow) {
    return {
      id: row.id,
      slug: row.slug,
      name: row.name,
      ancestry: row.path.split('/').filter(Boolean),
    };
  }

  private remember(doc: ProductDocument): void {
    const previous = this.documents.get(doc.id);
    if (previous && previous.slug !== doc.slug) this.slugs.delete(previous.slug);
    this.documents.set(doc.id, doc);
    this.slugs.set(doc.slug, doc.id);
  }

  private forget(id: string): void {
    const previous = this.documents.get(id);
    if (!previous) return;
    this.documents.delete(id);
    if (this.slugs.get(previous.slug) === id) this.slugs.delete(previous.slug);
  }

  private bump(): void {
    this.version++;
    this.treeJson = null;
  }

  /**
   * Sends the change to the other processes. While one notification is on its way, the changes
   * made meanwhile are gathered and sent together in the next: under load, one round trip tells
   * of many changes. Resolves once a notification holding this change was sent.
   */
  private async broadcast(change: CatalogueChange): Promise<void> {
    if (this.database.kind !== 'postgres') return;
    const unsent = (this.unsent ??= {});
    if (change.all) unsent.all = true;
    unsent.products = [...(unsent.products ?? []), ...(change.products ?? [])];
    unsent.categories = [...(unsent.categories ?? []), ...(change.categories ?? [])];
    while (this.sending) await this.sending;
    if (this.unsent !== unsent) return; // Another caller sent it along with its own.
    this.unsent = null;
    this.sending = this.send({
      ...(unsent.all ? { all: true } : {}),
      products: [...new Set(unsent.products)],
      categories: [...new Set(unsent.categories)],
    });
    try {
      await this.sending;
    } finally {
      this.sending = null;
    }
  }

  private async send(change: CatalogueChange): Promise<void> {
    let message: ChangeMessage = { from: this.self, scope: this.database.schemaPrefix, ...change };
    if (JSON.stringify(message).length > MAX_PAYLOAD)
      message = { from: this.self, scope: this.database.schemaPrefix, all: true };
    await this.database.notify(CHANNEL, JSON.stringify(message)).catch((err: unknown) => {
      this.logger.error({ err }, 'could not tell other processes about a catalogue change');
    });
  }

  private onMessage(payload: string): void {
    let message: ChangeMessage;
    try {
      message = JSON.parse(payload) as ChangeMessage;
    } catch {
      this.logger.warn({ payload }, 'ignored a malformed catalogue change message');
      return;
    }
    if (message.from === this.self || message.scope !== this.database.schemaPrefix) return;
    void this.refresh({ products: message.products, categories: message.categories, all: message.all });
  }
}

/** Tells every process serving this database to reload its catalogue index (for writers outside any app). */
export async function broadcastCatalogueReload(database: Database): Promise<void> {
  const message: ChangeMessage = { from: 'outside', scope: database.schemaPrefix, all: true };
  await database.notify(CHANNEL, JSON.stringify(message));
}
