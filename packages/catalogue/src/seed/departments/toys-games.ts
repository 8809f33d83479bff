import type { CategorySpec } from '../vocabulary.js';

export const toysGames: CategorySpec = {
  slug: 'toys-games',
  name: 'Toys & Games',
  description: 'Games and toys for all ages.',
  products: {
    skuCode: 'TOY',
    share: 3,
    price: [9, 89],
    grams: [100, 2000],
    adjectives: ['Wooden', 'Classic', 'Family', 'Strategy', 'Cooperative', 'Travel'],
    materials: ['Beech', 'Felt', 'Cardboard', 'Bamboo', 'Organic Cotton', 'Recycled Plastic'],
    nouns: ['Board Game', 'Puzzle', 'Building Blocks', 'Card Game', 'Plush Toy', 'Marble Run'],
    features: [
      'Suitable for ages six and up.',
      'Quick to learn, hard to put down.',
      'Finished with non-toxic, water-based paints.',
    ],
  },
};
