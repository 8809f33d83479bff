import type { CategorySpec } from '../vocabulary.js';

export const books: CategorySpec = {
  slug: 'books',
  name: 'Books',
  description: 'Cookbooks, guides and stories.',
  products: {
    skuCode: 'BOK',
    share: 4,
    price: [9, 45],
    grams: [200, 1200],
    formats: ['Paperback', 'Hardcover', 'E-Book'],
    adjectives: ['Complete', 'Little', 'Illustrated', 'Practical', 'Modern', 'Essential'],
    materials: ['Baking', 'Hiking', 'Gardening', 'Coffee', 'Sourdough', 'Woodworking', 'Travel', 'Bird'],
    nouns: ['Guide', 'Handbook', 'Cookbook', 'Field Notes', 'Almanac', 'Atlas'],
    features: [
      'Written by people who have done it for decades.',
      'Packed with photographs and clear diagrams.',
      'A book to keep on the shelf and come back to.',
    ],
  },
};
