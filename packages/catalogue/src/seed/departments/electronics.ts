import type { CategorySpec } from '../vocabulary.js';

export const electronics: CategorySpec = {
  slug: 'electronics',
  name: 'Electronics',
  description: 'Audio, chargers and accessories.',
  children: [
    {
      slug: 'audio',
      name: 'Audio',
      description: 'Headphones, earbuds and speakers.',
      products: {
        skuCode: 'AUD',
        share: 4,
        price: [29, 399],
        grams: [40, 2500],
        maxColours: 3,
        adjectives: ['Wireless', 'Noise-Cancelling', 'Portable', 'Studio', 'Waterproof', 'Compact'],
        materials: ['Bluetooth', 'Over-Ear', 'In-Ear', 'Hi-Fi', 'Smart', 'Retro'],
        nouns: ['Headphones', 'Earbuds', 'Speaker', 'Soundbar', 'Radio', 'Turntable'],
        features: [
          'Up to 30 hours of battery life on one charge.',
          'Pairs with two devices at once.',
          'Rich bass without muddy mids.',
          'Charges over USB-C.',
        ],
      },
    },
    {
      slug: 'phone-accessories',
      name: 'Phone Accessories',
      description: 'Cases, chargers and cables.',
      products: {
        skuCode: 'PHN',
        share: 4,
        price: [9, 89],
        grams: [20, 400],
        maxColours: 4,
        adjectives: ['Slim', 'Rugged', 'Fast', 'Magnetic', 'Braided', 'Foldable'],
        materials: ['Leather', 'Silicone', 'Recycled Plastic', 'Aluminium', 'Cork', 'Nylon'],
        nouns: ['Phone Case', 'Wireless Charger', 'USB-C Cable', 'Power Bank', 'Phone Stand', 'Wall Charger'],
        features: [
          'Works with every recent phone.',
          'Drop-tested from two metres.',
          'Charges at full speed where your phone allows.',
        ],
      },
    },
  ],
};
