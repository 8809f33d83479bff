import type { CategorySpec } from '../vocabulary.js';

export const beauty: CategorySpec = {
  slug: 'beauty',
  name: 'Beauty',
  description: 'Skincare and bath products with short ingredient lists.',
  children: [
    {
      slug: 'skincare',
      name: 'Skincare',
      description: 'Cleansers, creams and serums.',
      products: {
        skuCode: 'SKN',
        share: 4,
        price: [8, 69],
        grams: [60, 450],
        sizes: ['30 ml', '50 ml', '100 ml', '200 ml'],
        sizeRun: [1, 3],
        sizeStep: 0.6,
        adjectives: ['Hydrating', 'Gentle', 'Nourishing', 'Soothing', 'Brightening', 'Daily'],
        materials: ['Aloe', 'Oat', 'Rosehip', 'Vitamin C', 'Hyaluronic', 'Shea'],
        nouns: ['Face Cream', 'Cleanser', 'Serum', 'Body Lotion', 'Lip Balm', 'Face Oil'],
        features: [
          'Fragrance free and suitable for sensitive skin.',
          'Vegan and never tested on animals.',
          'Absorbs quickly and leaves no greasy feel.',
        ],
      },
    },
    {
      slug: 'bath-body',
      name: 'Bath & Body',
      description: 'Soaps, washes and bath salts.',
      products: {
        skuCode: 'BTH',
        share: 3,
        price: [5, 45],
        grams: [100, 900],
        sizes: ['100 ml', '250 ml', '500 ml'],
        sizeRun: [1, 3],
        sizeStep: 0.7,
        adjectives: ['Relaxing', 'Refreshing', 'Exfoliating', 'Moisturising', 'Natural', 'Calming'],
        materials: ['Lavender', 'Eucalyptus', 'Sea Salt', 'Citrus', 'Cedarwood', 'Rose'],
        nouns: ['Body Wash', 'Soap Bar', 'Bath Salts', 'Hand Cream', 'Body Scrub', 'Shampoo'],
        features: [
          'Made with plant-based ingredients.',
          'A light, natural scent that does not linger.',
          'In a refillable bottle.',
        ],
      },
    },
  ],
};
