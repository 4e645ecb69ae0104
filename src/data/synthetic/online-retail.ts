import { ADJUSTMENT_NOTES, GUEST_OVERSEAS_COUNTRIES, POSTAGE } from '../catalog.ts';
import { Rng, WeightedPicker, apportion } from '../../models/kit/random.ts';
import { TradingCalendar } from './calendar.ts';
import { DictionaryBuilder, type ColumnData } from './columns.ts';
import { ProgressReporter, SEGMENTS, type GenerationControl, type GroundTruth } from './common.ts';
import { COUNTRY_NAMES, buildCustomers, type Customer } from './customers.ts';
import { BasketWriter } from './baskets.ts';
import { buildProductCatalog } from './products.ts';

/** Rows in the UCI Online Retail file; the other targets below are its (rounded) counts. */
export const ONLINE_RETAIL_DEFAULT_ROWS = 541_909;
const REFERENCE_CUSTOMERS = 4_300;
const REFERENCE_PRODUCTS = 4_000;

const GUEST_ROW_SHARE = 0.25;
const CANCELLED_ROW_SHARE = 0.02;
const ADJUSTMENT_ROW_SHARE = 0.0015;
const TARGET_HOME_ROW_SHARE = 0.9;
const GUEST_HOME_SHARE = 0.985;
const MEAN_CUSTOMER_LINES = 24;
const MEAN_GUEST_LINES = 36;
const MEAN_CANCELLED_LINES = 2.8;
const FIRST_INVOICE_NUMBER = 536_365;
const LAST_MINUTE_OF_DAY = 20 * 60 + 59;

/** Demand by month from December 2010 (index 0) to December 2011: rising to a November peak. */
const MONTH_DEMAND = [1.7, 0.95, 0.8, 0.9, 0.85, 1, 0.95, 0.95, 0.95, 1.35, 1.5, 1.95, 1.6];
/** Sunday … Saturday; the real shop never traded on Saturdays. */
const WEEKDAY_DEMAND = [0.65, 1, 1.1, 1.1, 1.25, 0.85, 0];
const BANK_HOLIDAYS = new Set(['2011-04-22', '2011-04-25', '2011-04-29', '2011-05-02', '2011-05-30', '2011-08-29']);
/** Hours 0–23: shop hours 7–20, lunchtime peak. */
const HOUR_DEMAND = [0, 0, 0, 0, 0, 0, 0, 0.3, 3, 6, 9.5, 11, 14, 12.5, 11, 10, 5, 2.5, 0.6, 0.8, 0.2, 0, 0, 0];

/** A sale to a customer account or a guest, a cancellation ('C' invoice) or a warehouse stock adjustment. */
type InvoiceKind = 'sale' | 'guest-sale' | 'cancellation' | 'adjustment';

interface PlannedInvoice {
  readonly kind: InvoiceKind;
  /** Index into the customer list, or -1 for no account. */
  readonly customer: number;
  readonly country: number;
  readonly day: number;
  readonly minute: number;
  /** For cancellations: plan index of the invoice being cancelled. */
  readonly original: number;
  /** Unscaled basket size; `lines` is set from it so the row total is exact. */
  readonly rawLines: number;
  lines: number;
}

interface RowBudget {
  readonly customerSale: number;
  readonly guestSale: number;
  readonly cancelled: number;
  readonly adjustments: number;
}

/** Row budgets by kind, summing exactly to `rows`. */
function rowBudget(rows: number): RowBudget {
  const cancelled = rows >= 25 ? Math.round(rows * CANCELLED_ROW_SHARE) : 0;
  const guest = Math.round(rows * GUEST_ROW_SHARE);
  const adjustments = rows >= 200 ? Math.round(rows * ADJUSTMENT_ROW_SHARE) : 0;
  return { customerSale: rows - cancelled - guest, guestSale: guest - adjustments, cancelled, adjustments };
}

function retailCalendar(): TradingCalendar {
  return new TradingCalendar('2010-12-01', '2011-12-09', (day) => {
    const closed = (day.iso >= '2010-12-23' && day.iso <= '2011-01-03') || BANK_HOLIDAYS.has(day.iso);
    return closed ? 0 : (MONTH_DEMAND[day.monthIndex] ?? 1) * (WEEKDAY_DEMAND[day.weekday] ?? 1);
  });
}

/** The columns of the UCI Online Retail layout, `rows` long, and the latent truth behind them. */
export function generateOnlineRetail(
  rows: number,
  seed: number,
  control: GenerationControl,
): { columns: Record<string, ColumnData>; truth: GroundTruth } {
  const progress = new ProgressReporter(control);
  progress.checkpoint(0);
  const scale = rows / ONLINE_RETAIL_DEFAULT_ROWS;
  const calendar = retailCalendar();
  const hours = new WeightedPicker(HOUR_DEMAND);
  const catalog = buildProductCatalog(new Rng(seed, 'products'), Math.max(40, Math.round(REFERENCE_PRODUCTS * scale)));
  const budget = rowBudget(rows);
  const homeShare = (TARGET_HOME_ROW_SHARE - GUEST_ROW_SHARE * GUEST_HOME_SHARE) / (1 - GUEST_ROW_SHARE);
  const customerCount = Math.min(budget.customerSale, Math.max(3, Math.round(REFERENCE_CUSTOMERS * scale)));
  const customers = buildCustomers(new Rng(seed, 'customers'), customerCount, homeShare, MEAN_CUSTOMER_LINES, calendar, catalog);
  const plan = planInvoices(new Rng(seed, 'invoices'), budget, customers, calendar, hours);
  progress.checkpoint(0.05);

  const order = Array.from(plan.keys()).sort((a, b) => {
    const first = plan[a] as PlannedInvoice;
    const second = plan[b] as PlannedInvoice;
    return first.day - second.day || first.minute - second.minute || a - b;
  });
  const writer = new BasketWriter(new Rng(seed, 'baskets'), rows, catalog);
  const rowStart = new Int32Array(plan.length);
  const rowCount = new Int32Array(plan.length);
  const invoiceDates = new DictionaryBuilder();
  order.forEach((planIndex, position) => {
    const invoice = plan[planIndex] as PlannedInvoice;
    const start = writer.length;
    const customer = customers[invoice.customer];
    if (invoice.kind === 'cancellation') {
      const original = invoice.original;
      writer.writeCancellation(invoice.lines, rowStart[original] ?? 0, rowCount[original] ?? 0, customer);
    } else if (invoice.kind === 'adjustment') writer.writeAdjustment();
    else writer.writeSale(invoice.lines, calendar.dayAt(invoice.day).month, customer);
    rowStart[planIndex] = start;
    rowCount[planIndex] = writer.length - start;
    writer.stampInvoice(start, position, invoiceDates.code(calendar.ukTimestamp(invoice.day, invoice.minute)), invoice.customer, invoice.country);
    progress.checkpoint(0.05 + (0.9 * writer.length) / Math.max(1, rows));
  });
  if (writer.length !== rows) throw new Error(`internal: wrote ${writer.length} rows, expected ${rows}`);

  const products = catalog.products;
  const text = (dictionary: readonly string[], codes: Int32Array): ColumnData => ({ kind: 'text', dictionary, codes });
  const columns: Record<string, ColumnData> = {
    InvoiceNo: text(order.map((planIndex, position) => `${plan[planIndex]?.kind === 'cancellation' ? 'C' : ''}${FIRST_INVOICE_NUMBER + position}`), writer.invoiceCodes),
    StockCode: text([...products.map((product) => product.stockCode), POSTAGE.stockCode], writer.productCodes),
    Description: text([...products.map((product) => product.description), POSTAGE.description, ...ADJUSTMENT_NOTES], writer.descriptionCodes),
    Quantity: { kind: 'int32', values: writer.quantities },
    InvoiceDate: text(invoiceDates.dictionary, writer.dateCodes),
    UnitPrice: { kind: 'float64', values: writer.unitPrices },
    CustomerID: text(customers.map((customer) => customer.customerId), writer.customerCodes),
    Country: text(COUNTRY_NAMES, writer.countryCodes),
  };
  const truth: GroundTruth = {
    customers: customers.map((customer) => ({
      customerId: customer.customerId,
      segment: SEGMENTS[customer.segment] ?? 'occasional',
      country: COUNTRY_NAMES[customer.country] ?? '',
    })),
    products: products.map((product) => ({
      productId: product.stockCode,
      description: product.description,
      category: catalog.categories[product.category]?.name ?? '',
      theme: catalog.themes[product.theme]?.name ?? '',
    })),
  };
  return { columns, truth };
}

/** Every invoice with its date, owner and (scaled) number of lines, in no particular order. */
function planInvoices(rng: Rng, budget: RowBudget, customers: readonly Customer[], calendar: TradingCalendar, hours: WeightedPicker): PlannedInvoice[] {
  const lastDay = calendar.dayCount - 1;
  const minuteOfDay = (): number => hours.pick(rng) * 60 + rng.integer(0, 59);

  // Each customer's first invoice comes first, so tiny tables still show as many customers as they can.
  const target = Math.round(budget.customerSale / MEAN_CUSTOMER_LINES);
  const minimum = customers.reduce((sum, customer) => sum + customer.minInvoices, 0);
  const weightSum = customers.reduce((sum, customer) => sum + customer.invoiceWeight, 0);
  const rate = weightSum > 0 ? Math.max(0, target - minimum) / weightSum : 0;
  const repeatOwners: number[] = [];
  customers.forEach((customer, index) => {
    const count = customer.minInvoices + rng.poisson(rate * customer.invoiceWeight);
    for (let k = 1; k < count; k++) repeatOwners.push(index);
  });
  const owners = [...customers.keys(), ...rng.shuffle(repeatOwners)].slice(0, budget.customerSale);
  const sales = owners.map((index): PlannedInvoice => {
    const customer = customers[index] as Customer;
    const day = calendar.pickDay(rng, customer.firstDay, customer.lastDay);
    return { kind: 'sale', customer: index, country: customer.country, day, minute: minuteOfDay(), original: -1, rawLines: rng.logNormal(customer.basketMean, 0.8), lines: 0 };
  });
  assignLines(sales, budget.customerSale);

  const guestCountries = new WeightedPicker(GUEST_OVERSEAS_COUNTRIES.map((country) => country.weight));
  const guestCount = budget.guestSale > 0 ? clamp(Math.round(budget.guestSale / MEAN_GUEST_LINES), 1, budget.guestSale) : 0;
  const guests = Array.from({ length: guestCount }, (): PlannedInvoice => {
    const overseas = GUEST_OVERSEAS_COUNTRIES[guestCountries.pick(rng)]?.name ?? '';
    const country = rng.chance(GUEST_HOME_SHARE) ? 0 : Math.max(0, COUNTRY_NAMES.indexOf(overseas));
    return { kind: 'guest-sale', customer: -1, country, day: calendar.pickDay(rng), minute: minuteOfDay(), original: -1, rawLines: rng.logNormal(MEAN_GUEST_LINES, 0.9), lines: 0 };
  });
  assignLines(guests, budget.guestSale);

  // A cancellation reverses (part of) an earlier customer invoice, days later or later the same day.
  const cancelCount = budget.cancelled > 0 && sales.length > 0 ? clamp(Math.round(budget.cancelled / MEAN_CANCELLED_LINES), 1, budget.cancelled) : 0;
  const cancellations = Array.from({ length: cancelCount }, (): PlannedInvoice => {
    const original = rng.integer(0, sales.length - 1);
    const sale = sales[original] as PlannedInvoice;
    const sameDay = sale.day >= lastDay;
    const day = sameDay ? sale.day : calendar.pickDay(rng, sale.day + 1, Math.min(lastDay, sale.day + 30));
    const minute = sameDay ? Math.min(LAST_MINUTE_OF_DAY, sale.minute + rng.integer(1, 90)) : minuteOfDay();
    return { kind: 'cancellation', customer: sale.customer, country: sale.country, day, minute, original, rawLines: 1 + rng.geometric(MEAN_CANCELLED_LINES - 1), lines: 0 };
  });
  assignLines(cancellations, budget.cancelled);

  const adjustments = Array.from({ length: budget.adjustments }, (): PlannedInvoice => ({
    kind: 'adjustment', customer: -1, country: 0, day: calendar.pickDay(rng), minute: minuteOfDay(), original: -1, rawLines: 1, lines: 1,
  }));
  // Sales come first so that a cancellation's `original` is also its plan index.
  return [...sales, ...guests, ...cancellations, ...adjustments];
}

/** Gives each invoice at least one line and shares the rest of `total` in proportion to its raw size. */
function assignLines(invoices: PlannedInvoice[], total: number): void {
  const extra = apportion(invoices.map((invoice) => Math.max(0, invoice.rawLines - 1)), total - invoices.length);
  invoices.forEach((invoice, index) => (invoice.lines = 1 + (extra[index] ?? 0)));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
