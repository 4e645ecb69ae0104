import { CATEGORIES } from '../catalog.ts';
import { Rng, WeightedPicker, apportion } from '../../models/kit/random.ts';
import { TradingCalendar } from './calendar.ts';
import type { ColumnData } from './columns.ts';
import { ProgressReporter, SEGMENTS, SEGMENT_SHARES, type CustomerSegment, type GenerationControl, type GroundTruth } from './common.ts';
import { roundPrice } from './products.ts';

export const SIMPLE_DEFAULT_ROWS = 5_000;
/** 500 customers and 50 products at the default 5,000 purchases. */
const CUSTOMERS_PER_ROW = 0.1;
const PRODUCTS_PER_ROW = 0.01;
/** Shop prices are trade prices with a retail mark-up. */
const RETAIL_MARKUP = 3;

/** By calendar month (index 0 = January): gift shopping peaks in November and December. */
const MONTH_DEMAND = [0.8, 0.75, 0.85, 0.9, 0.95, 0.9, 0.9, 0.95, 1, 1.1, 1.5, 1.7];
/** Sunday … Saturday: an online shop busiest at weekends. */
const WEEKDAY_DEMAND = [1.2, 0.9, 0.9, 0.95, 1, 1.1, 1.3];

/** Per segment (parallel to `SEGMENTS`): relative number of purchases, mean extra units, loyalty to favourites. */
const PURCHASE_WEIGHT = [12, 4, 1, 2];
const EXTRA_UNITS = [1, 0.6, 0.3, 0.4];
const LOYALTY = [0.8, 0.75, 0.6, 0.7];

/** The simple layout: one row per purchase of one product by one customer. */
export function generateSimple(
  rows: number,
  seed: number,
  control: GenerationControl,
): { columns: Record<string, ColumnData>; truth: GroundTruth } {
  const progress = new ProgressReporter(control);
  progress.checkpoint(0);
  const rng = new Rng(seed, 'simple');
  const calendar = new TradingCalendar('2023-01-01', '2024-12-31', (day) =>
    (MONTH_DEMAND[day.month - 1] ?? 1) * (WEEKDAY_DEMAND[day.weekday] ?? 1) * (1 + 0.15 * (day.year - 2023)),
  );

  const productCount = Math.max(10, Math.round(rows * PRODUCTS_PER_ROW));
  const productCategory = new Int32Array(productCount);
  const productPrice = new Float64Array(productCount);
  const productPopularity = new Float64Array(productCount);
  let nextProduct = 0;
  apportion(CATEGORIES.map((category) => category.weight), productCount).forEach((count, category) => {
    const items = CATEGORIES[category]?.items ?? [];
    for (let k = 0; k < count; k++, nextProduct++) {
      productCategory[nextProduct] = category;
      productPrice[nextProduct] = roundPrice(RETAIL_MARKUP * (rng.pick(items).basePrice) * rng.logNormal(1, 0.3));
      productPopularity[nextProduct] = rng.logNormal(1, 0.8);
    }
  });
  const anyProduct = new WeightedPicker(productPopularity);
  const productsByCategory = CATEGORIES.map((_, category) => Array.from(productCategory.keys()).filter((product) => productCategory[product] === category));

  const customerCount = rows === 0 ? 0 : Math.min(rows, Math.max(5, Math.round(rows * CUSTOMERS_PER_ROW)));
  const segmentOf = rng.shuffle(Int32Array.from(Array.from(apportion(SEGMENT_SHARES, customerCount)).flatMap((size, segment) => new Array<number>(size).fill(segment))));
  const purchases = apportion(Array.from(segmentOf, (segment) => (PURCHASE_WEIGHT[segment] ?? 1) * rng.logNormal(1, 0.4)), rows - customerCount);
  const lastDay = calendar.dayCount - 1;

  const rowDay = new Int32Array(rows);
  const rowCustomer = new Int32Array(rows);
  const rowProduct = new Int32Array(rows);
  const rowAmount = new Float64Array(rows);
  let row = 0;
  segmentOf.forEach((segment, customer) => {
    const [firstDay, finalDay] = activeWindow(rng, calendar, SEGMENTS[segment] ?? 'occasional', lastDay);
    const favourites = rng.shuffle(Array.from(CATEGORIES.keys())).slice(0, rng.integer(1, 2)).flatMap((category) => productsByCategory[category] ?? []);
    const favouritePicker = favourites.length > 0 ? new WeightedPicker(favourites.map((product) => productPopularity[product] ?? 0)) : null;
    const count = 1 + (purchases[customer] ?? 0);
    for (let k = 0; k < count; k++, row++) {
      const product = favouritePicker !== null && rng.chance(LOYALTY[segment] ?? 0.5) ? (favourites[favouritePicker.pick(rng)] ?? 0) : anyProduct.pick(rng);
      const units = 1 + rng.geometric(EXTRA_UNITS[segment] ?? 0.5);
      const discount = rng.chance(0.15) ? 0.9 : 1;
      rowDay[row] = calendar.pickDay(rng, firstDay, finalDay);
      rowCustomer[row] = customer;
      rowProduct[row] = product;
      rowAmount[row] = Math.round((productPrice[product] ?? 0) * units * discount * 100) / 100;
    }
    progress.checkpoint((0.9 * row) / rows);
  });

  // Rows in date order, as a shop's export would be.
  const order = Array.from(rowDay.keys()).sort((a, b) => (rowDay[a] ?? 0) - (rowDay[b] ?? 0) || (rowCustomer[a] ?? 0) - (rowCustomer[b] ?? 0) || a - b);
  const permute = <T extends Int32Array | Float64Array>(source: T, target: T, map: (value: number) => number = (value) => value): T => {
    order.forEach((from, to) => (target[to] = map(source[from] ?? 0)));
    return target;
  };
  const width = Math.max(3, String(productCount).length);
  const productIds = Array.from({ length: productCount }, (_, product) => `P${String(product + 1).padStart(width, '0')}`);
  const columns: Record<string, ColumnData> = {
    CustomerID: { kind: 'int32', values: permute(rowCustomer, new Int32Array(rows), (customer) => customer + 1) },
    ProductID: { kind: 'text', dictionary: productIds, codes: permute(rowProduct, new Int32Array(rows)) },
    Category: { kind: 'text', dictionary: CATEGORIES.map((category) => category.name), codes: permute(rowProduct, new Int32Array(rows), (product) => productCategory[product] ?? 0) },
    PurchaseAmount: { kind: 'float64', values: permute(rowAmount, new Float64Array(rows)) },
    PurchaseDate: { kind: 'text', dictionary: calendar.days.map((day) => day.iso), codes: permute(rowDay, new Int32Array(rows)) },
  };
  const truth: GroundTruth = {
    customers: Array.from(segmentOf, (segment, customer) => ({ customerId: String(customer + 1), segment: SEGMENTS[segment] ?? 'occasional' })),
    products: productIds.map((productId, product) => ({ productId, category: CATEGORIES[productCategory[product] ?? 0]?.name ?? '' })),
  };
  return { columns, truth };
}

/** First and last day a customer of the segment may buy; lapsed customers stop between June 2023 and March 2024. */
function activeWindow(rng: Rng, calendar: TradingCalendar, segment: CustomerSegment, lastDay: number): [number, number] {
  switch (segment) {
    case 'champion':
      return [calendar.pickDay(rng, 0, 60), lastDay];
    case 'regular':
      return [calendar.pickDay(rng, 0, 365), lastDay];
    case 'lapsed': {
      const first = calendar.pickDay(rng, 0, 180);
      return [first, calendar.pickDay(rng, Math.max(first + 30, calendar.indexOf('2023-06-01')), calendar.indexOf('2024-03-31'))];
    }
    default:
      return [calendar.pickDay(rng), lastDay];
  }
}
