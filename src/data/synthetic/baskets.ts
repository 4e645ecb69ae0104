import { ADJUSTMENT_NOTES, POSTAGE } from '../catalog.ts';
import { WeightedPicker, type Rng } from '../../models/kit/random.ts';
import { NULL_CODE } from './columns.ts';
import type { Customer } from './customers.ts';
import type { ProductCatalog, Theme } from './products.ts';

/** Basket blocks: 1 + geometric(2.5) products from one theme, so themes co-occur within baskets. */
const MEAN_EXTRA_BLOCK_LINES = 2.5;
const POSTAGE_CHANCE = 0.6;
const ZERO_PRICE_CHANCE = 0.0004;
const BULK_ORDER_CHANCE = 0.0005;
/** Ten packs or more earn the bulk price. */
const BULK_PACKS = 10;

/** Fills baskets line by line into preallocated columns. */
export class BasketWriter {
  readonly productCodes: Int32Array;
  readonly descriptionCodes: Int32Array;
  readonly quantities: Int32Array;
  readonly unitPrices: Float64Array;
  readonly invoiceCodes: Int32Array;
  readonly dateCodes: Int32Array;
  readonly customerCodes: Int32Array;
  readonly countryCodes: Int32Array;
  length = 0;
  /** `seen[product] === basket` when the product is already in the current basket. */
  private readonly seen: Int32Array;
  private basket = 0;
  private readonly themePickers = new Map<number, WeightedPicker>();
  private readonly productPicker: WeightedPicker;
  private readonly postageCode: number;

  constructor(
    private readonly rng: Rng,
    rows: number,
    private readonly catalog: ProductCatalog,
  ) {
    this.productCodes = new Int32Array(rows);
    this.descriptionCodes = new Int32Array(rows);
    this.quantities = new Int32Array(rows);
    this.unitPrices = new Float64Array(rows);
    this.invoiceCodes = new Int32Array(rows);
    this.dateCodes = new Int32Array(rows);
    this.customerCodes = new Int32Array(rows);
    this.countryCodes = new Int32Array(rows);
    this.seen = new Int32Array(catalog.products.length);
    this.postageCode = catalog.products.length;
    const productWeights = new Float64Array(catalog.products.length);
    for (const theme of catalog.themes) {
      const themeTotal = theme.productWeights.reduce((sum, weight) => sum + weight, 0);
      theme.products.forEach((product, k) => (productWeights[product] = (theme.popularity * (theme.productWeights[k] ?? 0)) / themeTotal));
    }
    this.productPicker = new WeightedPicker(productWeights);
  }

  /** A sale of `lines` lines: postage first for many overseas orders, then theme blocks. */
  writeSale(lines: number, month: number, customer: Customer | undefined): void {
    let remaining = lines;
    const basket = ++this.basket;
    if (customer?.overseas === true && remaining >= 2 && this.rng.chance(POSTAGE_CHANCE)) {
      this.push(this.postageCode, this.postageCode, this.rng.integer(1, 3), customer.far ? POSTAGE.farPrice : POSTAGE.price);
      remaining--;
    }
    let misses = 0;
    while (remaining > 0) {
      const theme = this.catalog.themes[this.pickTheme(customer, month)] as Theme;
      const block = Math.min(remaining, 1 + this.rng.geometric(MEAN_EXTRA_BLOCK_LINES));
      let added = 0;
      for (; added < block; added++) {
        const product = this.pickUnseen(theme, basket);
        if (product < 0) break;
        this.writeSaleLine(product, customer);
      }
      remaining -= added;
      // A basket bigger than the reachable catalogue repeats products rather than looping forever.
      if (added === 0 && ++misses > 40) {
        this.writeSaleLine(this.productPicker.pick(this.rng), customer);
        remaining--;
      }
    }
  }

  /** Reverses `lines` lines, taken first from the original invoice's rows. */
  writeCancellation(lines: number, originalStart: number, originalCount: number, customer: Customer | undefined): void {
    const offsets = Array.from({ length: originalCount }, (_, k) => k);
    const reversed = Math.min(lines, originalCount);
    for (let k = 0; k < reversed; k++) {
      const pick = this.rng.integer(k, originalCount - 1);
      const row = originalStart + (offsets[pick] ?? 0);
      offsets[pick] = offsets[k] ?? 0;
      const bought = this.quantities[row] ?? 1;
      const returned = this.rng.chance(0.7) ? bought : Math.max(1, Math.floor(bought * this.rng.uniform(0.2, 0.9)));
      this.push(this.productCodes[row] ?? 0, this.descriptionCodes[row] ?? 0, -returned, this.unitPrices[row] ?? 0);
    }
    for (let k = reversed; k < lines; k++) {
      const index = this.pickFavouriteProduct(customer);
      const product = this.catalog.products[index];
      this.push(index, index, -(product?.packSize ?? 1), product?.price ?? 0);
    }
  }

  /** A warehouse correction: one negative line, zero price, a typed note for a description. */
  writeAdjustment(): void {
    const product = this.productPicker.pick(this.rng);
    const note = this.rng.integer(0, ADJUSTMENT_NOTES.length - 1);
    const quantity = 1 + this.rng.geometric(this.rng.chance(0.3) ? 40 : 4);
    this.push(product, this.postageCode + 1 + note, -quantity, 0);
  }

  /** Writes the invoice-level columns over the rows [start, length). */
  stampInvoice(start: number, invoiceCode: number, dateCode: number, customer: number, country: number): void {
    this.invoiceCodes.fill(invoiceCode, start, this.length);
    this.dateCodes.fill(dateCode, start, this.length);
    this.customerCodes.fill(customer >= 0 ? customer : NULL_CODE, start, this.length);
    this.countryCodes.fill(country, start, this.length);
  }

  private writeSaleLine(productIndex: number, customer: Customer | undefined): void {
    const product = this.catalog.products[productIndex];
    if (product === undefined) throw new RangeError(`no product ${productIndex}`);
    this.seen[productIndex] = this.basket;
    let quantity: number;
    let price: number;
    if (customer === undefined) {
      quantity = 1 + this.rng.geometric(0.6);
      price = product.guestPrice;
    } else {
      const packs = (1 + this.rng.geometric(customer.extraPacks)) * (this.rng.chance(BULK_ORDER_CHANCE) ? this.rng.integer(10, 50) : 1);
      quantity = packs * product.packSize;
      price = packs >= BULK_PACKS ? product.bulkPrice : product.price;
    }
    if (this.rng.chance(ZERO_PRICE_CHANCE)) price = 0;
    this.push(productIndex, productIndex, quantity, price);
  }

  private push(productCode: number, descriptionCode: number, quantity: number, unitPrice: number): void {
    const row = this.length++;
    this.productCodes[row] = productCode;
    this.descriptionCodes[row] = descriptionCode;
    this.quantities[row] = quantity;
    this.unitPrices[row] = unitPrice;
  }

  /** A product from the customer's usual themes (or any theme), for lines returned beyond the original order. */
  private pickFavouriteProduct(customer: Customer | undefined): number {
    const theme = this.catalog.themes[this.pickTheme(customer, 0)] as Theme;
    const product = this.pickUnseen(theme, -1);
    return product >= 0 ? product : this.productPicker.pick(this.rng);
  }

  /** A favourite theme (by the customer's loyalty) or any theme, both weighted by the month's season. */
  private pickTheme(customer: Customer | undefined, month: number): number {
    if (customer !== undefined && customer.favouriteThemes.length > 0 && this.rng.chance(customer.loyalty)) {
      const favourites = customer.favouriteThemes;
      const weights = Array.from(favourites, (theme, k) => (customer.favouriteWeights[k] ?? 0) * this.seasonal(theme, month));
      return favourites[this.rng.pickIndex(weights)] ?? 0;
    }
    let picker = this.themePickers.get(month);
    if (picker === undefined) {
      picker = new WeightedPicker(this.catalog.themes.map((theme, index) => theme.popularity * this.seasonal(index, month)));
      this.themePickers.set(month, picker);
    }
    return picker.pick(this.rng);
  }

  private seasonal(theme: number, month: number): number {
    const category = this.catalog.themes[theme]?.category ?? 0;
    return this.catalog.categories[category]?.seasonality?.[month - 1] ?? 1;
  }

  /** A product of `theme` not yet in this basket, by popularity; -1 when the theme is used up. */
  private pickUnseen(theme: Theme, basket: number): number {
    const { products, productWeights } = theme;
    let total = 0;
    for (let k = 0; k < products.length; k++) if (this.seen[products[k] ?? 0] !== basket) total += productWeights[k] ?? 0;
    if (!(total > 0)) return -1;
    let target = this.rng.float() * total;
    let last = -1;
    for (let k = 0; k < products.length; k++) {
      const product = products[k] ?? 0;
      if (this.seen[product] === basket) continue;
      last = product;
      target -= productWeights[k] ?? 0;
      if (target < 0) return product;
    }
    return last;
  }
}
