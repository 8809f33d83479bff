import type { CategorySpec } from '../vocabulary.js';

export const bagsAccessories: CategorySpec = {
  slug: 'bags-accessories',
  name: 'Bags & Accessories',
  description: 'Bags, hats and the small things that finish an outfit.',
  children: [
    {
      slug: 'backpacks',
      name: 'Backpacks',
      description: 'Daypacks, rolltops and travel packs.',
      products: {
        skuCode: 'BPK',
        share: 4,
        price: [39, 199],
        grams: [400, 1500],
        maxColours: 4,
        adjectives: ['Rolltop', 'Everyday', 'Travel', 'Compact', 'Commuter', 'Expedition', 'Modular'],
        materials: ['Waxed Canvas', 'Recycled Nylon', 'Cordura', 'Leather', 'Sailcloth'],
        nouns: ['Backpack', 'Daypack', 'Rucksack', 'Laptop Bag', 'Duffel Bag', 'Sling Bag'],
        features: [
          'A padded sleeve fits a 15-inch laptop.',
          'Water-resistant fabric protects what is inside.',
          'The back panel is ventilated for warm commutes.',
          'Carry-on sized for most airlines.',
        ],
      },
    },
    {
      slug: 'hats-scarves',
      name: 'Hats & Scarves',
      description: 'Beanies, caps and scarves.',
      products: {
        skuCode: 'HAT',
        share: 3,
        price: [15, 79],
        grams: [60, 300],
        maxColours: 4,
        sizes: ['S/M', 'L/XL'],
        sizeRun: [1, 2],
        adjectives: ['Ribbed', 'Classic', 'Slouchy', 'Fisherman', 'Striped', 'Waxed', 'Chunky'],
        materials: ['Merino', 'Cashmere', 'Cotton Twill', 'Lambswool', 'Recycled Wool'],
        nouns: ['Beanie', 'Cap', 'Scarf', 'Bucket Hat', 'Snood'],
        features: [
          'Soft against the skin, never itchy.',
          'Knitted in one piece with no seams to rub.',
          'Warm enough for the coldest mornings.',
        ],
      },
    },
  ],
};
