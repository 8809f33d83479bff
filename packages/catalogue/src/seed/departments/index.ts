import type { CategorySpec } from '../vocabulary.js';
import { clothing } from './clothing.js';
import { shoes } from './shoes.js';
import { bagsAccessories } from './bags-accessories.js';
import { home } from './home.js';
import { outdoor } from './outdoor.js';
import { electronics } from './electronics.js';
import { beauty } from './beauty.js';
import { sports } from './sports.js';
import { books } from './books.js';
import { toysGames } from './toys-games.js';

/** The demo store's category tree, one department per file; categories with `products` receive generated products. */
export const categoryTree: readonly CategorySpec[] = [
  clothing,
  shoes,
  bagsAccessories,
  home,
  outdoor,
  electronics,
  beauty,
  sports,
  books,
  toysGames,
];
