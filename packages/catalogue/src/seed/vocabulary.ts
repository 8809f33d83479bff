/** A colour a variant can come in; the code goes into SKUs. */
export interface Colour {
  name: string;
  code: string;
}

/** How the products of one category are named, priced, sized and described. */
export interface ProductStyle {
  /** Prefix of every SKU in the category. */
  skuCode: string;
  /** Share of the catalogue that falls in this category, relative to the other categories. */
  share: number;
  adjectives: readonly string[];
  materials: readonly string[];
  nouns: readonly string[];
  /** An ordered scale; each product takes a contiguous run of it (option "size"). */
  sizes?: readonly string[];
  /** How many sizes a product takes, at least and at most. */
  sizeRun?: readonly [number, number];
  /** Each size step up the scale costs this fraction more (bedding, bottles); 0 keeps one price. */
  sizeStep?: number;
  /** Offers colours (option "colour"), up to this many per product. */
  maxColours?: number;
  /** A different option than size and colour, e.g. a book's format. */
  formats?: readonly string[];
  /** Price range in major units of the currency. */
  price: readonly [number, number];
  grams: readonly [number, number];
  /** Sentences a description is assembled from. */
  features: readonly string[];
}

export interface CategorySpec {
  slug: string;
  name: string;
  description: string;
  products?: ProductStyle;
  children?: readonly CategorySpec[];
}

export const colours: readonly Colour[] = [
  { name: 'Black', code: 'BLK' },
  { name: 'White', code: 'WHT' },
  { name: 'Navy', code: 'NVY' },
  { name: 'Grey', code: 'GRY' },
  { name: 'Red', code: 'RED' },
  { name: 'Olive', code: 'OLV' },
  { name: 'Sand', code: 'SND' },
  { name: 'Forest Green', code: 'FGR' },
  { name: 'Sky Blue', code: 'SKY' },
  { name: 'Burgundy', code: 'BRG' },
  { name: 'Mustard', code: 'MST' },
  { name: 'Charcoal', code: 'CHR' },
];

/** Names of product lines, used to tell apart products that would otherwise share a name. */
export const collections: readonly string[] = [
  'Aurora', 'Fjord', 'Harbour', 'Alder', 'Summit', 'Meridian', 'Cascade', 'Linden', 'Solstice', 'Tundra',
  'Juniper', 'Coastal', 'Ember', 'Granite', 'Willow', 'Nordic', 'Sierra', 'Atlas', 'Drift', 'Canyon',
  'Birch', 'Orchard', 'Marlow', 'Pioneer', 'Rowan', 'Skyline', 'Tidal', 'Verde', 'Highland', 'Quarry',
];

export const imageViews: readonly string[] = ['front view', 'back view', 'detail', 'in use'];

/** First sentences of descriptions; `{name}` is the product's name. */
export const openers: readonly string[] = [
  'Meet the {name}, made to last and easy to live with.',
  'One of our best sellers: the {name}.',
  'The {name}, kept simple and made to do its job well.',
  'Designed with everyday use in mind: the {name}.',
  'Quality materials at an honest price: the {name}.',
  'A reliable favourite for work and weekends, the {name} goes with everything.',
];

export const closers: readonly string[] = [
  'Free returns within 30 days.',
  'Backed by a two-year guarantee.',
  'Packed in recycled, plastic-free packaging.',
  'Ships within two working days.',
  'Made in a factory we visit every year.',
];

const clothingSizes = ['XS', 'S', 'M', 'L', 'XL', 'XXL'] as const;
const shoeSizes = ['EU 37', 'EU 38', 'EU 39', 'EU 40', 'EU 41', 'EU 42', 'EU 43', 'EU 44', 'EU 45', 'EU 46'] as const;

/** The demo store's category tree; categories with `products` receive generated products. */
export const categoryTree: readonly CategorySpec[] = [
  {
    slug: 'clothing',
    name: 'Clothing',
    description: 'Everyday clothing for every season.',
    children: [
      {
        slug: 'jackets',
        name: 'Jackets',
        description: 'Warm, light and weatherproof jackets.',
        products: {
          skuCode: 'JKT', share: 6, price: [59, 289], grams: [450, 1400], maxColours: 3,
          sizes: clothingSizes, sizeRun: [3, 5],
          adjectives: ['Insulated', 'Lightweight', 'Quilted', 'Packable', 'Classic', 'Relaxed', 'Tailored', 'Hooded'],
          materials: ['Down', 'Waxed Cotton', 'Wool', 'Recycled Nylon', 'Corduroy', 'Denim', 'Fleece', 'Canvas'],
          nouns: ['Jacket', 'Parka', 'Bomber', 'Field Jacket', 'Overshirt', 'Puffer', 'Coach Jacket'],
          features: [
            'The cut leaves room for a jumper underneath.',
            'Two zipped hand pockets keep essentials safe.',
            'A brushed lining adds warmth without bulk.',
            'The water-repellent finish shrugs off showers.',
            'Adjustable cuffs keep the wind out.',
          ],
        },
        children: [
          {
            slug: 'rain-jackets',
            name: 'Rain Jackets',
            description: 'Waterproof shells with taped seams.',
            products: {
              skuCode: 'RJK', share: 3, price: [79, 249], grams: [300, 700], maxColours: 3,
              sizes: clothingSizes, sizeRun: [3, 5],
              adjectives: ['Waterproof', 'Breathable', 'Packable', 'Storm', 'Trail', 'Urban'],
              materials: ['Three-Layer', 'Recycled Polyester', 'Ripstop', 'Waxed Cotton', 'Rubberised'],
              nouns: ['Rain Jacket', 'Shell', 'Anorak', 'Raincoat', 'Cagoule'],
              features: [
                'Fully taped seams keep every drop out.',
                'Pit zips let the heat escape on steep climbs.',
                'It packs into its own chest pocket.',
                'The peaked hood works with or without a helmet.',
              ],
            },
          },
        ],
      },
      {
        slug: 't-shirts',
        name: 'T-Shirts',
        description: 'Soft tees in organic and recycled cotton.',
        products: {
          skuCode: 'TSH', share: 8, price: [15, 49], grams: [140, 260], maxColours: 3,
          sizes: clothingSizes, sizeRun: [4, 6],
          adjectives: ['Essential', 'Heavyweight', 'Slim-Fit', 'Oversized', 'Striped', 'Pocket', 'Long-Sleeve', 'Washed'],
          materials: ['Organic Cotton', 'Linen', 'Merino', 'Jersey', 'Slub Cotton', 'Bamboo', 'Recycled Cotton'],
          nouns: ['T-Shirt', 'Tee', 'Henley', 'Crew Neck', 'V-Neck', 'Tank Top'],
          features: [
            'Pre-shrunk, so it keeps its shape wash after wash.',
            'The ribbed collar stays flat all day.',
            'Side seams sit straight and never twist.',
            'Soft enough to sleep in, smart enough to wear out.',
          ],
        },
      },
      {
        slug: 'jeans',
        name: 'Jeans',
        description: 'Denim in straight, slim and relaxed fits.',
        products: {
          skuCode: 'JNS', share: 5, price: [49, 149], grams: [550, 900], maxColours: 2,
          sizes: ['W28', 'W29', 'W30', 'W31', 'W32', 'W33', 'W34', 'W36', 'W38'], sizeRun: [4, 6],
          adjectives: ['Straight', 'Slim', 'Tapered', 'Relaxed', 'Bootcut', 'Vintage', 'Raw', 'Stretch'],
          materials: ['Selvedge Denim', 'Organic Denim', 'Stretch Denim', 'Black Denim', 'Rigid Denim'],
          nouns: ['Jeans', 'Five-Pocket Jeans', 'Carpenter Jeans', 'Cropped Jeans'],
          features: [
            'The denim softens and fades with every wear.',
            'Copper rivets reinforce the pockets.',
            'A mid rise sits comfortably at the waist.',
            'Hemmed long, so you can turn them up.',
          ],
        },
      },
      {
        slug: 'knitwear',
        name: 'Knitwear',
        description: 'Jumpers and cardigans for cold days.',
        products: {
          skuCode: 'KNT', share: 5, price: [39, 189], grams: [300, 750], maxColours: 3,
          sizes: clothingSizes, sizeRun: [3, 5],
          adjectives: ['Chunky', 'Fine-Knit', 'Cable', 'Ribbed', 'Fisherman', 'Roll-Neck', 'Cosy', 'Brushed'],
          materials: ['Merino Wool', 'Lambswool', 'Cashmere', 'Alpaca', 'Cotton', 'Mohair Blend'],
          nouns: ['Jumper', 'Cardigan', 'Sweater', 'Roll Neck', 'Knitted Vest', 'Zip Sweater'],
          features: [
            'Knitted on traditional frames for a dense, warm fabric.',
            'Ribbed cuffs and hem hold their shape.',
            'Naturally odour-resistant, so it needs fewer washes.',
            'Hand wash cold and dry flat.',
          ],
        },
      },
      {
        slug: 'dresses',
        name: 'Dresses',
        description: 'Dresses for work, weekends and warm evenings.',
        products: {
          skuCode: 'DRS', share: 4, price: [39, 169], grams: [200, 600], maxColours: 3,
          sizes: clothingSizes, sizeRun: [3, 5],
          adjectives: ['Wrap', 'Midi', 'Maxi', 'Shirt', 'Pleated', 'Tiered', 'Sleeveless', 'Smocked'],
          materials: ['Linen', 'Viscose', 'Cotton Poplin', 'Silk Blend', 'Jersey', 'Tencel'],
          nouns: ['Dress', 'Sundress', 'Shirt Dress', 'Slip Dress', 'Tea Dress'],
          features: [
            'Side pockets, because every dress needs them.',
            'A tie waist lets you adjust the fit.',
            'The fabric drapes and breathes on warm days.',
            'Fully lined, so it is never see-through.',
          ],
        },
      },
    ],
  },
  {
    slug: 'shoes',
    name: 'Shoes',
    description: 'Footwear for town, trail and everything in between.',
    children: [
      {
        slug: 'sneakers',
        name: 'Sneakers',
        description: 'Trainers and everyday sneakers.',
        products: {
          skuCode: 'SNK', share: 5, price: [49, 179], grams: [600, 1000], maxColours: 2,
          sizes: shoeSizes, sizeRun: [4, 6],
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
          skuCode: 'BTS', share: 4, price: [89, 259], grams: [900, 1800], maxColours: 2,
          sizes: shoeSizes, sizeRun: [4, 6],
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
  },
  {
    slug: 'bags-accessories',
    name: 'Bags & Accessories',
    description: 'Bags, hats and the small things that finish an outfit.',
    children: [
      {
        slug: 'backpacks',
        name: 'Backpacks',
        description: 'Daypacks, rolltops and travel packs.',
        products: {
          skuCode: 'BPK', share: 4, price: [39, 199], grams: [400, 1500], maxColours: 4,
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
          skuCode: 'HAT', share: 3, price: [15, 79], grams: [60, 300], maxColours: 4,
          sizes: ['S/M', 'L/XL'], sizeRun: [1, 2],
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
  },
  {
    slug: 'home',
    name: 'Home',
    description: 'Things for the kitchen, bedroom and living room.',
    children: [
      {
        slug: 'kitchen',
        name: 'Kitchen',
        description: 'Cookware, tableware and tools that last.',
        products: {
          skuCode: 'KIT', share: 7, price: [9, 249], grams: [150, 4000], maxColours: 3,
          adjectives: ['Enamelled', 'Non-Stick', 'Professional', 'Stackable', 'Hand-Thrown', 'Classic', 'Heavy-Duty'],
          materials: ['Cast Iron', 'Stainless Steel', 'Stoneware', 'Carbon Steel', 'Oak', 'Glass', 'Copper'],
          nouns: ['Frying Pan', 'Casserole Dish', 'Saucepan', 'Mixing Bowl', 'Chopping Board', 'Mug', 'Teapot', 'Knife'],
          features: [
            'Safe in the oven, on gas, electric and induction.',
            'Dishwasher safe for easy cleaning.',
            'Heats evenly, so nothing catches.',
            'Balanced and comfortable in the hand.',
          ],
        },
      },
      {
        slug: 'bedding',
        name: 'Bedding',
        description: 'Sheets, duvet covers and pillows.',
        products: {
          skuCode: 'BED', share: 4, price: [29, 189], grams: [500, 2500], maxColours: 3,
          sizes: ['Single', 'Double', 'King', 'Super King'], sizeRun: [2, 4], sizeStep: 0.2,
          adjectives: ['Stonewashed', 'Percale', 'Sateen', 'Waffle', 'Brushed', 'Crisp'],
          materials: ['Linen', 'Organic Cotton', 'Egyptian Cotton', 'Flannel', 'Bamboo'],
          nouns: ['Duvet Cover', 'Fitted Sheet', 'Pillowcase Set', 'Bedspread', 'Throw'],
          features: [
            'Gets softer with every wash.',
            'Breathable for cool, comfortable sleep.',
            'Hidden button fastening keeps the duvet in place.',
            'Oeko-Tex certified, free from harmful substances.',
          ],
        },
      },
      {
        slug: 'lighting',
        name: 'Lighting',
        description: 'Lamps and lights for every room.',
        products: {
          skuCode: 'LGT', share: 3, price: [25, 349], grams: [400, 5000], maxColours: 3,
          adjectives: ['Adjustable', 'Dimmable', 'Minimal', 'Industrial', 'Mid-Century', 'Rechargeable'],
          materials: ['Brass', 'Rattan', 'Opal Glass', 'Ceramic', 'Walnut', 'Powder-Coated Steel'],
          nouns: ['Table Lamp', 'Floor Lamp', 'Pendant Light', 'Wall Light', 'Desk Lamp'],
          features: [
            'Takes a standard E27 bulb, LED recommended.',
            'The warm light makes any room feel calmer.',
            'A fabric cable and inline switch finish it off.',
          ],
        },
      },
      {
        slug: 'decor',
        name: 'Decor',
        description: 'Vases, cushions, candles and frames.',
        products: {
          skuCode: 'DEC', share: 4, price: [9, 129], grams: [100, 2500], maxColours: 3,
          adjectives: ['Hand-Made', 'Textured', 'Scented', 'Woven', 'Speckled', 'Sculptural'],
          materials: ['Ceramic', 'Linen', 'Soy Wax', 'Jute', 'Terracotta', 'Recycled Glass', 'Oak'],
          nouns: ['Vase', 'Cushion Cover', 'Candle', 'Picture Frame', 'Planter', 'Rug', 'Tray'],
          features: [
            'Every piece is slightly different, made by hand.',
            'Adds texture to a shelf, table or sill.',
            'Made in small batches by independent makers.',
          ],
        },
      },
    ],
  },
  {
    slug: 'outdoor',
    name: 'Outdoor',
    description: 'Gear for camping, cycling and long days outside.',
    children: [
      {
        slug: 'camping',
        name: 'Camping',
        description: 'Tents, sleeping bags and camp kitchens.',
        products: {
          skuCode: 'CMP', share: 4, price: [19, 499], grams: [200, 4500], maxColours: 2,
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
          skuCode: 'CYC', share: 3, price: [9, 229], grams: [80, 1200], maxColours: 3,
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
  },
  {
    slug: 'electronics',
    name: 'Electronics',
    description: 'Audio, chargers and accessories.',
    children: [
      {
        slug: 'audio',
        name: 'Audio',
        description: 'Headphones, earbuds and speakers.',
        products: {
          skuCode: 'AUD', share: 4, price: [29, 399], grams: [40, 2500], maxColours: 3,
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
          skuCode: 'PHN', share: 4, price: [9, 89], grams: [20, 400], maxColours: 4,
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
  },
  {
    slug: 'beauty',
    name: 'Beauty',
    description: 'Skincare and bath products with short ingredient lists.',
    children: [
      {
        slug: 'skincare',
        name: 'Skincare',
        description: 'Cleansers, creams and serums.',
        products: {
          skuCode: 'SKN', share: 4, price: [8, 69], grams: [60, 450],
          sizes: ['30 ml', '50 ml', '100 ml', '200 ml'], sizeRun: [1, 3], sizeStep: 0.6,
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
          skuCode: 'BTH', share: 3, price: [5, 45], grams: [100, 900],
          sizes: ['100 ml', '250 ml', '500 ml'], sizeRun: [1, 3], sizeStep: 0.7,
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
  },
  {
    slug: 'sports',
    name: 'Sports',
    description: 'Kit for running, yoga and the gym.',
    children: [
      {
        slug: 'running',
        name: 'Running',
        description: 'Running clothes and accessories.',
        products: {
          skuCode: 'RUN', share: 4, price: [15, 149], grams: [80, 400], maxColours: 3,
          sizes: clothingSizes, sizeRun: [3, 5],
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
          skuCode: 'YOG', share: 3, price: [12, 119], grams: [150, 2500], maxColours: 4,
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
  },
  {
    slug: 'books',
    name: 'Books',
    description: 'Cookbooks, guides and stories.',
    products: {
      skuCode: 'BOK', share: 4, price: [9, 45], grams: [200, 1200], formats: ['Paperback', 'Hardcover', 'E-Book'],
      adjectives: ['Complete', 'Little', 'Illustrated', 'Practical', 'Modern', 'Essential'],
      materials: ['Baking', 'Hiking', 'Gardening', 'Coffee', 'Sourdough', 'Woodworking', 'Travel', 'Bird'],
      nouns: ['Guide', 'Handbook', 'Cookbook', 'Field Notes', 'Almanac', 'Atlas'],
      features: [
        'Written by people who have done it for decades.',
        'Packed with photographs and clear diagrams.',
        'A book to keep on the shelf and come back to.',
      ],
    },
  },
  {
    slug: 'toys-games',
    name: 'Toys & Games',
    description: 'Games and toys for all ages.',
    products: {
      skuCode: 'TOY', share: 3, price: [9, 89], grams: [100, 2000],
      adjectives: ['Wooden', 'Classic', 'Family', 'Strategy', 'Cooperative', 'Travel'],
      materials: ['Beech', 'Felt', 'Cardboard', 'Bamboo', 'Organic Cotton', 'Recycled Plastic'],
      nouns: ['Board Game', 'Puzzle', 'Building Blocks', 'Card Game', 'Plush Toy', 'Marble Run'],
      features: [
        'Suitable for ages six and up.',
        'Quick to learn, hard to put down.',
        'Finished with non-toxic, water-based paints.',
      ],
    },
  },
];
