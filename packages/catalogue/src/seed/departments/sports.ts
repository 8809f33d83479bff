import type { CategorySpec } from '../vocabulary.js';
import { clothingSizes } from './sizes.js';

export const sports: CategorySpec = {
  slug: 'sports',
  name: 'Sports',
  description: 'Kit for running, yoga and the gym.',
  children: [
    {
      slug: 'running',
      name: 'Running',
      description: 'Running clothes and accessories.',
      products: {
        skuCode: 'RUN',
        share: 4,
        price: [15, 149],
        grams: [80, 400],
        maxColours: 3,
        sizes: clothingSizes,
        sizeRun: [3, 5],
        adjectives: ['Breathable', 'Seamless', 'Thermal', 'Reflective', 'Quick-Dry', 'Race'],
        materials: ['Merino', 'Recycled Polyester', 'Mesh', 'Technical', 'Softshell'],
        nouns: ['Running Shorts', 'Running Top', 'Tights', 'Running Vest', 'Windbreaker', 'Socks'],
        features: [
          'Wicks sweat away on hard efforts.',
          'Flatlock seams prevent chafing.',
          'A zipped pocket holds keys and a gel.',
        ],
      },
    },
    {
      slug: 'yoga',
      name: 'Yoga',
      description: 'Mats, blocks and clothes that move with you.',
      products: {
        skuCode: 'YOG',
        share: 3,
        price: [12, 119],
        grams: [150, 2500],
        maxColours: 4,
        adjectives: ['Non-Slip', 'Eco', 'Travel', 'Cushioned', 'Supportive', 'Stretchy'],
        materials: ['Natural Rubber', 'Cork', 'Organic Cotton', 'TPE', 'Recycled Foam'],
        nouns: ['Yoga Mat', 'Yoga Block', 'Strap', 'Bolster', 'Meditation Cushion', 'Mat Bag'],
        features: [
          'Grips in every pose, even when things get warm.',
          'Light enough to carry to class.',
          'Wipe clean with a damp cloth.',
        ],
      },
    },
  ],
};
