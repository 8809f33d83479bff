import type { CategorySpec } from '../vocabulary.js';

export const outdoor: CategorySpec = {
  slug: 'outdoor',
  name: 'Outdoor',
  description: 'Gear for camping, cycling and long days outside.',
  children: [
    {
      slug: 'camping',
      name: 'Camping',
      description: 'Tents, sleeping bags and camp kitchens.',
      products: {
        skuCode: 'CMP',
        share: 4,
        price: [19, 499],
        grams: [200, 4500],
        maxColours: 2,
        adjectives: ['Ultralight', 'Three-Season', 'Compact', 'Family', 'Backpacking', 'Insulated'],
        materials: ['Ripstop Nylon', 'Titanium', 'Aluminium', 'Down', 'Synthetic', 'Canvas'],
        nouns: ['Tent', 'Sleeping Bag', 'Camping Stove', 'Sleeping Mat', 'Hammock', 'Cook Set', 'Lantern'],
        features: [
          'Packs down small enough for a weekend pack.',
          'Pitches in minutes, even alone.',
          'Tested on long trips in wet weather.',
          'Comes with a stuff sack and repair kit.',
        ],
      },
    },
    {
      slug: 'cycling',
      name: 'Cycling',
      description: 'Everything for the ride, except the bike.',
      products: {
        skuCode: 'CYC',
        share: 3,
        price: [9, 229],
        grams: [80, 1200],
        maxColours: 3,
        adjectives: ['Reflective', 'Aero', 'Commuter', 'Gravel', 'Waterproof', 'Lightweight'],
        materials: ['Carbon', 'Aluminium', 'Merino', 'Lycra', 'Silicone', 'Cordura'],
        nouns: ['Helmet', 'Bike Light', 'Saddle Bag', 'Cycling Jersey', 'Gloves', 'Bottle Cage', 'Pannier'],
        features: [
          'High-visibility details for darker evenings.',
          'Fits most bikes without tools.',
          'Light enough that you forget it is there.',
        ],
      },
    },
  ],
};
