import type { CategorySpec } from '../vocabulary.js';
import { shoeSizes } from './sizes.js';

export const shoes: CategorySpec = {
  slug: 'shoes',
  name: 'Shoes',
  description: 'Footwear for town, trail and everything in between.',
  children: [
    {
      slug: 'sneakers',
      name: 'Sneakers',
      description: 'Trainers and everyday sneakers.',
      products: {
        skuCode: 'SNK',
        share: 5,
        price: [49, 179],
        grams: [600, 1000],
        maxColours: 2,
        sizes: shoeSizes,
        sizeRun: [4, 6],
        adjectives: ['Low-Top', 'High-Top', 'Retro', 'Minimal', 'Court', 'Runner', 'Slip-On'],
        materials: ['Leather', 'Suede', 'Canvas', 'Knit', 'Recycled Mesh', 'Vegan Leather'],
        nouns: ['Sneakers', 'Trainers', 'Plimsolls', 'Court Shoes'],
        features: [
          'A cushioned footbed makes long days easy.',
          'The rubber cupsole is stitched, not just glued.',
          'Removable insoles fit your own orthotics.',
          'Waxed laces stay tied.',
        ],
      },
    },
    {
      slug: 'boots',
      name: 'Boots',
      description: 'Boots built for weather and years of wear.',
      products: {
        skuCode: 'BTS',
        share: 4,
        price: [89, 259],
        grams: [900, 1800],
        maxColours: 2,
        sizes: shoeSizes,
        sizeRun: [4, 6],
        adjectives: ['Chelsea', 'Hiking', 'Lace-Up', 'Work', 'Winter', 'Desert', 'Lined'],
        materials: ['Full-Grain Leather', 'Suede', 'Nubuck', 'Waterproof Leather', 'Rubber'],
        nouns: ['Boots', 'Ankle Boots', 'Walking Boots', 'Duck Boots'],
        features: [
          'A Goodyear welt means they can be resoled.',
          'The lugged sole grips on wet ground.',
          'A waterproof membrane keeps feet dry.',
          'Break-in time is short thanks to soft leather.',
        ],
      },
    },
  ],
};
