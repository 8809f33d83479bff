/** Size scales shared by several departments. */
export const clothingSizes = ['XS', 'S', 'M', 'L', 'XL', 'XXL'] as const;
export const shoeSizes = [
  'EU 37',
  'EU 38',
  'EU 39',
  'EU 40',
  'EU 41',
  'EU 42',
  'EU 43',
  'EU 44',
  'EU 45',
  'EU 46',
] as const;
