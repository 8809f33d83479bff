export { catalogueIsEmpty, DEFAULT_SEED, seedCatalogue } from './writer.js';
export type { SeedCatalogueOptions, SeedCatalogueResult } from './writer.js';
export { demoCategories, generateProducts } from './generator.js';
export type { GenerateOptions, SeedCategory, SeedProduct, SeedVariant } from './generator.js';
