import { HOME_COUNTRY, OVERSEAS_COUNTRIES } from '../catalog.ts';
import { WeightedPicker, apportion, sortedDistinct, type Rng } from '../../models/kit/random.ts';
import type { TradingCalendar } from './calendar.ts';
import { SEGMENTS, SEGMENT_SHARES } from './common.ts';
import type { ProductCatalog } from './products.ts';

/** How a segment behaves (parallel to `SEGMENTS`). */
interface SegmentBehaviour {
  /** Every customer of the segment places at least this many invoices. */
  readonly minInvoices: number;
  /** Relative rate of invoices beyond the minimum. */
  readonly frequencyWeight: number;
  /** Basket size relative to the average invoice. */
  readonly basketFactor: number;
  /** Mean number of extra packs per line (trade customers buy by the pack). */
  readonly extraPacks: number;
  /** Share of basket blocks drawn from the customer's favourite themes. */
  readonly loyalty: number;
}

const BEHAVIOUR: readonly SegmentBehaviour[] = [
  { minInvoices: 6, frequencyWeight: 22, basketFactor: 1.5, extraPacks: 2.5, loyalty: 0.75 }, // champion
  { minInvoices: 3, frequencyWeight: 5, basketFactor: 1.1, extraPacks: 1.2, loyalty: 0.7 }, // regular
  { minInvoices: 1, frequencyWeight: 0.6, basketFactor: 0.8, extraPacks: 0.5, loyalty: 0.55 }, // occasional
  { minInvoices: 2, frequencyWeight: 1.5, basketFactor: 0.9, extraPacks: 0.8, loyalty: 0.65 }, // lapsed
];

/** A customer account with its hidden traits. Country 0 is the United Kingdom. */
export interface Customer {
  readonly customerId: string;
  readonly segment: number;
  readonly country: number;
  /** Ordering from abroad, and far away (postage lines, dearer postage). */
  readonly overseas: boolean;
  readonly far: boolean;
  /** Day indices of the first and last day the customer may order. */
  readonly firstDay: number;
  readonly lastDay: number;
  readonly invoiceWeight: number;
  readonly basketMean: number;
  readonly extraPacks: number;
  readonly loyalty: number;
  readonly minInvoices: number;
  readonly favouriteThemes: Int32Array;
  readonly favouriteWeights: Float64Array;
}

/** Country names in code order: the UK first, then the overseas list. */
export const COUNTRY_NAMES: readonly string[] = [HOME_COUNTRY, ...OVERSEAS_COUNTRIES.map((country) => country.name)];

const FIRST_CUSTOMER_ID = 12346;

/** Builds `count` customers; `homeShare` of each segment lives in the UK, the rest spread over 37 countries. */
export function buildCustomers(
  rng: Rng,
  count: number,
  homeShare: number,
  averageBasket: number,
  calendar: TradingCalendar,
  catalog: ProductCatalog,
): Customer[] {
  const segmentOf = segmentAssignment(rng, count);
  const countryOf = countryAssignment(rng, segmentOf, homeShare);
  const ids = sortedDistinct(rng, count, FIRST_CUSTOMER_ID, Math.max(5942, Math.ceil(count * 1.4)));
  const lastDay = calendar.dayCount - 1;
  const earlyEnd = calendar.indexOf('2011-01-10');
  const lapseFrom = calendar.indexOf('2011-03-01');
  const lapseTo = calendar.indexOf('2011-07-31');
  const categoryPicker = new WeightedPicker(catalog.categories.map((category) => category.weight));
  const themesByCategory = catalog.categories.map((_, category) => catalog.themes.flatMap((theme, index) => (theme.category === category ? [index] : [])));

  return Array.from({ length: count }, (_, index): Customer => {
    const segment = segmentOf[index] ?? 2;
    const behaviour = BEHAVIOUR[segment] as SegmentBehaviour;
    const country = countryOf[index] ?? 0;
    const overseasSpec = country > 0 ? OVERSEAS_COUNTRIES[country - 1] : undefined;
    let firstDay = 0;
    let finalDay = lastDay;
    switch (SEGMENTS[segment]) {
      case 'champion':
        firstDay = calendar.pickDay(rng, 0, earlyEnd);
        break;
      case 'regular':
        firstDay = calendar.pickDay(rng, 0, calendar.indexOf('2011-06-30'));
        break;
      case 'lapsed':
        firstDay = calendar.pickDay(rng, 0, calendar.indexOf('2011-02-28'));
        finalDay = calendar.pickDay(rng, Math.max(firstDay + 30, lapseFrom), lapseTo);
        break;
      default:
        firstDay = calendar.pickDay(rng);
    }
    const favourites = favouriteThemes(rng, catalog, categoryPicker, themesByCategory);
    return {
      customerId: String(ids[index]),
      segment,
      country,
      overseas: country > 0,
      far: overseasSpec?.far === true,
      firstDay,
      lastDay: finalDay,
      invoiceWeight: behaviour.frequencyWeight * rng.logNormal(1, 0.5),
      basketMean: averageBasket * behaviour.basketFactor * rng.logNormal(1, 0.35),
      extraPacks: behaviour.extraPacks,
      loyalty: behaviour.loyalty,
      minInvoices: behaviour.minInvoices,
      favouriteThemes: Int32Array.from(favourites.keys()),
      favouriteWeights: Float64Array.from(favourites.values()),
    };
  });
}

/** Segment index per customer, in exact proportions, randomly placed. */
function segmentAssignment(rng: Rng, count: number): Int32Array {
  const perSegment = apportion(SEGMENT_SHARES, count);
  const segmentOf = new Int32Array(count);
  let start = 0;
  perSegment.forEach((size, segment) => {
    segmentOf.fill(segment, start, start + size);
    start += size;
  });
  return rng.shuffle(segmentOf);
}

/**
 * Country per customer. Quotas are exact within every segment, so the UK's share of rows barely depends on the
 * seed; every overseas country gets at least one customer once there are enough to go round.
 */
function countryAssignment(rng: Rng, segmentOf: Int32Array, homeShare: number): Int32Array {
  const countryOf = new Int32Array(segmentOf.length);
  const overseasSlots: number[] = [];
  SEGMENTS.forEach((_, segment) => {
    const members: number[] = [];
    segmentOf.forEach((value, customer) => {
      if (value === segment) members.push(customer);
    });
    rng.shuffle(members);
    const home = Math.round(members.length * homeShare);
    overseasSlots.push(...members.slice(home));
  });
  const weights = OVERSEAS_COUNTRIES.map((country) => country.weight);
  const guaranteed = overseasSlots.length >= weights.length ? 1 : 0;
  const perCountry = apportion(weights, overseasSlots.length - guaranteed * weights.length);
  const labels: number[] = [];
  perCountry.forEach((extra, index) => {
    for (let k = 0; k < extra + guaranteed; k++) labels.push(index + 1);
  });
  rng.shuffle(labels);
  overseasSlots.forEach((slot, index) => (countryOf[slot] = labels[index] ?? 1));
  return countryOf;
}

/** 1–3 favourite categories, then a handful of favourite themes in them (theme → weight). */
function favouriteThemes(
  rng: Rng,
  catalog: ProductCatalog,
  categoryPicker: WeightedPicker,
  themesByCategory: readonly number[][],
): Map<number, number> {
  const favourites = new Map<number, number>();
  const categories = new Set<number>();
  const categoryCount = 1 + Math.min(2, rng.geometric(0.8));
  for (let attempt = 0; categories.size < categoryCount && attempt < 20; attempt++) categories.add(categoryPicker.pick(rng));
  const candidates = [...categories].flatMap((category) => themesByCategory[category] ?? []);
  if (candidates.length === 0) return favourites;
  const themeCount = 3 + rng.geometric(2);
  const picker = new WeightedPicker(candidates.map((theme) => catalog.themes[theme]?.popularity ?? 0));
  for (let k = 0; k < themeCount; k++) {
    const theme = candidates[picker.pick(rng)] ?? 0;
    favourites.set(theme, (favourites.get(theme) ?? 0) + rng.logNormal(1, 0.7));
  }
  return favourites;
}
