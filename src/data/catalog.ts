/**
 * Word lists for a gift-ware wholesaler's catalogue in the style of the UCI Online Retail data set:
 * categories of item templates ("JUMBO BAG {m}") crossed with motifs ("RED RETROSPOT") give upper-case
 * descriptions like "JUMBO BAG RED RETROSPOT" or "WHITE HANGING HEART T-LIGHT HOLDER".
 */

/** One kind of item; `{m}` marks where the motif goes. `basePrice` is a typical unit price in pounds. */
export interface ItemTemplate {
  readonly template: string;
  readonly basePrice: number;
}

export interface CategorySpec {
  readonly name: string;
  /** Relative share of the catalogue. */
  readonly weight: number;
  readonly items: readonly ItemTemplate[];
  /** Motifs typical of this category; shared motifs are added after these. */
  readonly motifs: readonly string[];
  /** Demand multiplier by calendar month (index 0 = January); absent means flat. */
  readonly seasonality?: readonly number[];
}

function items(...pairs: readonly (readonly [string, number])[]): ItemTemplate[] {
  return pairs.map(([template, basePrice]) => ({ template, basePrice }));
}

const CHRISTMAS_SEASON = [0.25, 0.15, 0.15, 0.15, 0.2, 0.3, 0.5, 0.9, 2.2, 3.2, 3.6, 2.6];
const GARDEN_SEASON = [0.5, 0.6, 1.1, 1.7, 1.9, 1.8, 1.6, 1.3, 0.8, 0.6, 0.5, 0.5];

export const CATEGORIES: readonly CategorySpec[] = [
  {
    name: 'Home Decor', weight: 1.3,
    items: items(['{m} METAL SIGN', 2.1], ['{m} PHOTO FRAME', 2.55], ['{m} WALL CLOCK', 8.5], ['{m} MIRROR', 4.95],
      ['DOORSTOP {m}', 4.25], ['{m} CUSHION COVER', 3.75], ['{m} COAT RACK', 4.95], ['{m} HANGING DECORATION', 0.85],
      ['DOORMAT {m}', 7.95], ['{m} KEY CABINET', 8.95], ['{m} WALL ART', 5.95], ['{m} CHALKBOARD', 2.95],
      ['{m} COAT HOOK', 1.25], ['{m} HOT WATER BOTTLE', 4.65]),
    motifs: ['HOME SWEET HOME', 'PARIS FASHION', 'NEW ENGLAND', 'SHABBY CHIC', 'HEART OF WICKER', 'NATURAL SLATE',
      'ANTIQUE WHITE', 'CREAM CUPID HEARTS', 'LOVE HEART', 'WHITE FINISH'],
  },
  {
    name: 'Kitchen', weight: 1.3,
    items: items(['{m} CAKESTAND 3 TIER', 12.75], ['{m} TEACUP AND SAUCER', 2.95], ['{m} MILK JUG', 2.55],
      ['{m} SUGAR BOWL', 2.1], ['PACK OF 72 {m} CAKE CASES', 0.55], ['60 {m} CAKE CASES', 0.55],
      ['SET OF 3 CAKE TINS {m}', 4.95], ['{m} APRON', 4.95], ['SET/2 {m} TEA TOWELS', 3.25], ['{m} OVEN GLOVE', 1.45],
      ['{m} CERAMIC STORAGE JAR', 1.65], ['{m} BAKING SET', 6.95], ['RECIPE BOX {m}', 2.95], ['{m} JAM JAR', 0.85],
      ['{m} MUG', 1.25]),
    motifs: ['REGENCY', 'PANTRY', 'JAM MAKING', 'TEATIME', 'FAIRY CAKE', 'ROSES REGENCY', 'GREEN REGENCY',
      'VINTAGE KITCHEN', 'BAKING', 'RETROSPOT', 'SAVE THE PLANET'],
  },
  {
    name: 'Candles & Lights', weight: 1.0,
    items: items(['{m} T-LIGHT HOLDER', 2.95], ['{m} LANTERN', 3.75], ['SET OF 24 {m} TEA LIGHTS', 0.42],
      ['{m} NIGHT LIGHT', 1.65], ['{m} LIGHT GARLAND', 4.25], ['{m} PILLAR CANDLE', 1.25], ['{m} STRING OF LIGHTS', 4.95],
      ['{m} CANDLE HOLDER', 2.1], ['{m} HANGING T-LIGHT', 1.25], ['{m} FAIRY LIGHTS', 3.75], ['{m} TABLE LAMP', 9.95],
      ['{m} SCENTED CANDLE', 2.1]),
    motifs: ['WHITE HANGING HEART', 'RED HANGING HEART', 'GLASS STAR FROSTED', 'VICTORIAN GLASS', 'MOROCCAN',
      'TOADSTOOL LED', 'WHITE METAL', 'MULTI COLOUR SILVER', 'PAPER LANTERN', 'SILVER HEART'],
  },
  {
    name: 'Bags', weight: 1.0,
    items: items(['JUMBO BAG {m}', 2.08], ['LUNCH BAG {m}', 1.65], ['CHARLOTTE BAG {m}', 0.85], ['JUMBO SHOPPER {m}', 2.08],
      ['JUMBO STORAGE BAG {m}', 2.08], ['{m} WASHBAG', 3.75], ['{m} PURSE', 2.1], ['{m} TOTE BAG', 2.95],
      ['{m} BEACH BAG', 4.95], ['{m} GIFT BAG LARGE', 0.42], ['RECYCLED SHOPPER {m}', 2.55], ['PICNIC BAG {m}', 3.25]),
    motifs: ['SUKI', 'APPLES', 'BAROQUE BLACK WHITE', 'PEARS', 'VINTAGE JET', 'DOILY DESIGN'],
  },
  {
    name: 'Stationery', weight: 0.9,
    items: items(['{m} NOTEBOOK', 1.65], ['SET OF 12 {m} PENCILS', 0.65], ['PACK OF 12 {m} TISSUES', 0.29],
      ['{m} GIFT WRAP', 0.42], ['{m} GIFT TAPE', 0.65], ['{m} STICKER SHEET', 0.85], ['{m} MEMO BOARD', 4.95],
      ['{m} ADDRESS BOOK', 2.55], ['{m} POSTCARD', 0.21], ['{m} JOURNAL', 2.95], ['{m} ERASER', 0.21], ['{m} PEN', 0.42]),
    motifs: ['PANDA AND BUNNIES', 'STARS', 'VINTAGE BILLBOARD', 'I LOVE LONDON', 'BOTANICAL', 'PAISLEY PARK',
      'WOODLAND ANIMALS', 'TREASURE ISLAND'],
  },
  {
    name: 'Christmas', weight: 0.8, seasonality: CHRISTMAS_SEASON,
    items: items(['{m} CHRISTMAS DECORATION', 0.85], ['PAPER CHAIN KIT {m}', 2.95], ['{m} BAUBLE', 0.65],
      ['{m} ADVENT CALENDAR', 4.95], ['{m} CHRISTMAS CRACKERS', 2.95], ['{m} TREE TOPPER', 2.1], ['{m} STOCKING', 2.95],
      ['{m} WREATH', 4.25], ['{m} TREE DECORATION', 1.25], ['{m} CHRISTMAS CARD', 0.42], ['{m} GIFT TAG', 0.42],
      ['{m} SNOW GLOBE', 3.75]),
    motifs: ["50'S CHRISTMAS", 'VINTAGE CHRISTMAS', 'SCANDINAVIAN REINDEER', 'WHITE CHRISTMAS STAR', 'RUSTIC',
      'SANTA', 'SNOWFLAKE', 'GINGERBREAD MAN', 'ANGEL', 'NORDIC', 'NUTCRACKER', 'ROBIN'],
  },
  {
    name: 'Garden', weight: 0.7, seasonality: GARDEN_SEASON,
    items: items(['{m} WATERING CAN', 3.75], ['{m} PLANT POT', 1.25], ['{m} BIRD HOUSE', 4.95], ['{m} BIRD FEEDER', 3.75],
      ['{m} GARDEN SIGN', 2.1], ['{m} GARDEN KNEELER', 3.75], ['{m} SEED TIN', 2.55], ['{m} HERB MARKER', 0.65],
      ['EDWARDIAN PARASOL {m}', 2.95], ['{m} WINDMILL', 1.25], ['{m} GARDEN THERMOMETER', 2.55], ['{m} WIND CHIME', 2.95]),
    motifs: ['ENAMEL', 'VINTAGE GARDEN', 'FLOWER FAIRY', 'ZINC', 'GREENHOUSE', 'POTTING SHED', 'HERB GARDEN',
      'HEN HOUSE'],
  },
  {
    name: 'Toys', weight: 0.9,
    items: items(['MINI JIGSAW {m}', 0.42], ['{m} JIGSAW PUZZLES', 2.1], ['{m} SKIPPING ROPE', 1.45],
      ['{m} SPINNING TOP', 0.42], ['MINI PAINT SET {m}', 0.65], ['{m} PLAYING CARDS', 1.25], ['{m} CARD GAME', 1.25],
      ['{m} DOMINOES', 1.25], ['{m} SOFT TOY', 2.95], ['{m} BUILDING BLOCKS', 4.95], ['{m} KITE', 2.1],
      ['BAG OF {m} MARBLES', 0.85], ['{m} SNAKES AND LADDERS', 3.75], ['{m} COLOURING BOOK', 0.65]),
    motifs: ['VINTAGE SEASIDE', 'HEADS AND TAILS', 'DINOSAUR', 'PIRATE', 'FARMYARD', 'ROBOT', 'SPACE ADVENTURE'],
  },
  {
    name: 'Party', weight: 0.8,
    items: items(['{m} PARTY BUNTING', 4.95], ['{m} PAPER PLATES', 0.85], ['{m} PAPER CUPS', 0.65],
      ['PACK OF 20 {m} NAPKINS', 0.85], ['{m} PARTY BAGS', 0.85], ['{m} BALLOONS', 0.65], ['{m} PARTY HATS', 1.25],
      ['{m} STRAWS', 0.42], ['{m} PARTY INVITES', 0.85], ['{m} PINATA', 5.95], ['{m} TABLECLOTH', 2.95],
      ['{m} PARTY GARLAND', 1.65]),
    motifs: ['SPOTTY', 'FIESTA', 'HAPPY BIRTHDAY', 'CIRCUS', 'PINK PRINCESS', 'CARNIVAL', 'FLAG', 'POLKADOT'],
  },
  {
    name: 'Jewellery', weight: 0.8,
    items: items(['{m} NECKLACE', 4.25], ['{m} EARRINGS', 2.95], ['{m} BRACELET', 3.75], ['{m} RING', 1.65],
      ['{m} HAIR SLIDES', 0.85], ['{m} BROOCH', 2.1], ['{m} CHARM', 1.25], ['{m} BEAD NECKLACE', 5.95],
      ['{m} PENDANT', 3.25], ['{m} JEWELLERY BOX', 6.95], ['{m} HAIR BAND', 0.42], ['{m} KEYRING', 0.85]),
    motifs: ['DIAMANTE', 'CRYSTAL', 'ANTIQUE SILVER', 'GOLD', 'PEARL', 'JADE', 'TURQUOISE', 'GLASS BEAD', 'SHELL',
      'IVORY'],
  },
  {
    name: 'Storage', weight: 0.8,
    items: items(['{m} LUNCH BOX', 1.95], ['ROUND SNACK BOXES SET OF 4 {m}', 2.95], ['{m} STORAGE TIN', 2.55],
      ['SET OF 3 {m} STORAGE BOXES', 4.95], ['{m} BISCUIT TIN', 3.75], ['{m} TRINKET BOX', 1.25],
      ['{m} WICKER BASKET', 6.95], ['SET 7 {m} NESTING BOXES', 8.5], ['{m} DRAWER KNOB', 1.25],
      ['{m} MAGAZINE RACK', 9.95], ['{m} HATBOX', 5.95]),
    motifs: ['BABUSHKA', 'CREAM SWEETHEART', 'CERAMIC', 'WOODEN', 'VINTAGE CARAVAN'],
  },
  {
    name: 'Tableware', weight: 0.8,
    items: items(['{m} DINNER PLATE', 1.65], ['{m} SIDE PLATE', 1.25], ['{m} BOWL', 1.25], ['{m} CUP', 0.85],
      ['{m} EGG CUP', 1.25], ['{m} PLACEMAT', 1.45], ['SET OF 4 {m} COASTERS', 1.25], ['{m} CUTLERY SET', 6.95],
      ['{m} GLASS TUMBLER', 1.25], ['{m} JUG', 3.75], ['{m} BREAD BIN', 12.75], ['{m} BUTTER DISH', 3.75]),
    motifs: ['RED SPOTTY', 'BLUE SPOTTY', 'PINK SPOTTY', 'BONE CHINA', 'FINE CHINA', 'STRIPES', 'ENAMEL'],
  },
  {
    name: 'Textiles', weight: 0.7,
    items: items(['{m} THROW', 9.95], ['{m} HAND TOWEL', 2.95], ['{m} FLANNEL', 0.85], ['{m} BLANKET', 12.75],
      ['{m} SCARF', 3.75], ['HAND WARMER {m}', 2.1], ['{m} UMBRELLA', 4.95], ['{m} SLIPPERS', 3.75],
      ['{m} HANDKERCHIEF', 0.85], ['{m} PEG BAG', 2.55], ['{m} CUSHION', 4.95]),
    motifs: ['UNION JACK', 'RED POLKA DOT', 'TARTAN', 'SCOTTIE DOG', 'KNITTED', 'FELTCRAFT', 'PATCHWORK', 'WOOLLY',
      'EMBROIDERED'],
  },
  {
    name: 'Bath & Beauty', weight: 0.6,
    items: items(['{m} SOAP DISH', 2.55], ['{m} MAKE UP BAG', 2.95], ['{m} COMPACT MIRROR', 1.25], ['{m} HAND CREAM', 1.25],
      ['{m} TOILETRY BAG', 4.25], ['{m} SHOWER CAP', 1.25], ['{m} SCENTED SOAP', 0.85], ['{m} BATH SPONGE', 0.65],
      ['{m} LIP BALM', 0.65], ['{m} BATH SALTS', 1.95]),
    motifs: ['LAVENDER', 'BATHROOM', 'FRENCH', 'COCONUT', 'VANILLA', 'BEACH HUT', 'APOTHECARY'],
  },
  {
    name: 'Gifts & Cards', weight: 0.7,
    items: items(['{m} GIFT BOX', 1.25], ['{m} GREETING CARD', 0.42], ['{m} GIFT SET', 4.95], ['{m} PHOTO ALBUM', 5.95],
      ['{m} MONEY BANK', 2.1], ['{m} FRIDGE MAGNET', 0.85], ['{m} KEEPSAKE BOX', 3.25], ['{m} DOOR HANGER', 0.85],
      ['{m} BOOKMARK', 0.42], ['{m} LUGGAGE TAG', 1.25], ['{m} PASSPORT COVER', 2.1]),
    motifs: ['BIRTHDAY', 'WEDDING', 'NEW BABY', 'GARDENER', 'THANK YOU', 'MUM', 'GRANDMA', 'FRIENDSHIP', 'GOOD LUCK'],
  },
];

/** Motifs any category may use, after its own. */
export const SHARED_MOTIFS: readonly string[] = [
  'RED RETROSPOT', 'PINK POLKADOT', 'BLUE POLKADOT', 'GREEN POLKADOT', 'VINTAGE PAISLEY', 'SPACEBOY', 'DOLLY GIRL',
  'WOODLAND', 'SKULLS', 'SCANDINAVIAN', 'VINTAGE DOILY', 'BIRD ORNAMENT', 'GINGHAM', 'CHERRY BLOSSOM', 'FLORAL',
  'STRAWBERRY', 'CIRCUS PARADE', 'LOVE BIRD', 'SWEETHEART', 'ENGLISH ROSE', 'PARISIENNE', 'BAROQUE', 'LOLITA',
  'POPPY', 'VINTAGE UNION JACK', 'ALPHABET', 'OWL', 'LEMON', 'BUTTERFLY', 'DAISY', 'RABBIT', 'TEA PARTY',
  'KEEP CALM', 'HEART', 'STAR', 'VINTAGE SEASIDE', 'ORANGE TREE', 'MOROCCAN', 'ZINC', 'ROSE',
];

/** Colour words for colour variants ("PINK ...", stock codes 85099A/B/C) and extra motifs. */
export const COLOURS: readonly string[] = [
  'WHITE', 'RED', 'PINK', 'BLUE', 'GREEN', 'IVORY', 'CREAM', 'BLACK', 'SILVER', 'GOLD', 'PURPLE', 'YELLOW',
];

/** Notes on stock adjustments (negative quantity, no customer, zero price), as the warehouse typed them. */
export const ADJUSTMENT_NOTES: readonly string[] = [
  'damaged', 'check', '?', 'lost', 'wet damaged', 'smashed', 'thrown away', 'mixed up', 'crushed',
  'incorrect stock entry.', 'wrongly marked, 23343 in box', 'sold as "set" on dotcom', 'given away', 'missing',
];

/** Postage line added to many orders from abroad, as in the real file. */
export const POSTAGE = { stockCode: 'POST', description: 'POSTAGE', price: 18, farPrice: 40 } as const;

export interface CountrySpec {
  readonly name: string;
  /** Relative share of the rows of customers outside the United Kingdom. */
  readonly weight: number;
  /** Far from the UK (dearer postage). */
  readonly far?: boolean;
}

export const HOME_COUNTRY = 'United Kingdom';

/** The 37 countries besides the UK, weighted roughly as in the UCI file. */
export const OVERSEAS_COUNTRIES: readonly CountrySpec[] = [
  { name: 'Germany', weight: 9.5 }, { name: 'France', weight: 8.6 }, { name: 'EIRE', weight: 8.2 },
  { name: 'Spain', weight: 2.5 }, { name: 'Netherlands', weight: 2.4 }, { name: 'Belgium', weight: 2.1 },
  { name: 'Switzerland', weight: 2.0 }, { name: 'Portugal', weight: 1.5 }, { name: 'Australia', weight: 1.3, far: true },
  { name: 'Norway', weight: 1.1 }, { name: 'Italy', weight: 0.8 }, { name: 'Channel Islands', weight: 0.76 },
  { name: 'Finland', weight: 0.7 }, { name: 'Cyprus', weight: 0.62 }, { name: 'Sweden', weight: 0.46 },
  { name: 'Unspecified', weight: 0.45 }, { name: 'Austria', weight: 0.4 }, { name: 'Denmark', weight: 0.39 },
  { name: 'Japan', weight: 0.36, far: true }, { name: 'Poland', weight: 0.34 }, { name: 'Israel', weight: 0.3, far: true },
  { name: 'USA', weight: 0.29, far: true }, { name: 'Hong Kong', weight: 0.29, far: true },
  { name: 'Singapore', weight: 0.23, far: true }, { name: 'Iceland', weight: 0.18 },
  { name: 'Canada', weight: 0.15, far: true }, { name: 'Greece', weight: 0.15 }, { name: 'Malta', weight: 0.13 },
  { name: 'United Arab Emirates', weight: 0.07, far: true }, { name: 'European Community', weight: 0.06 },
  { name: 'RSA', weight: 0.06, far: true }, { name: 'Lebanon', weight: 0.05, far: true },
  { name: 'Lithuania', weight: 0.04 }, { name: 'Brazil', weight: 0.03, far: true },
  { name: 'Czech Republic', weight: 0.03 }, { name: 'Bahrain', weight: 0.02, far: true },
  { name: 'Saudi Arabia', weight: 0.01, far: true },
];

/** Where guest (no CustomerID) invoices from abroad come from, weighted as in the real file. */
export const GUEST_OVERSEAS_COUNTRIES: readonly CountrySpec[] = [
  { name: 'EIRE', weight: 7 }, { name: 'Hong Kong', weight: 3 }, { name: 'Unspecified', weight: 2 },
  { name: 'Switzerland', weight: 1.2 }, { name: 'France', weight: 0.7 }, { name: 'Israel', weight: 0.5 },
  { name: 'Portugal', weight: 0.4 },
];
