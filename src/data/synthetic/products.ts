import { CATEGORIES, COLOURS, SHARED_MOTIFS, type CategorySpec } from '../catalog.ts';
import { apportion, sortedDistinct, type Rng } from '../../models/kit/random.ts';

/** A product line: what it is called, what it costs, how it is packed, how much it sells. */
export interface Product {
  readonly stockCode: string;
  readonly description: string;
  readonly category: number;
  readonly theme: number;
  /** Trade price per unit, pounds (2 dp). */
  readonly price: number;
  /** Price per unit on large orders (ten packs or more). */
  readonly bulkPrice: number;
  /** Retail price charged to guests (orders without a customer account). */
  readonly guestPrice: number;
  /** Units per pack: trade customers order multiples of it. */
  readonly packSize: number;
}

/** Products sharing a category and a motif ("Kitchen · REGENCY"): the bundles bought together. */
export interface Theme {
  readonly name: string;
  readonly category: number;
  readonly products: Int32Array;
  /** Relative popularity of each product within the theme (parallel to `products`). */
  readonly productWeights: Float64Array;
  readonly popularity: number;
}

export interface ProductCatalog {
  readonly products: readonly Product[];
  readonly themes: readonly Theme[];
  readonly categories: readonly CategorySpec[];
}

const AVERAGE_EXTRA_THEME_SIZE = 4.5;
const VARIANT_FAMILY_CHANCE = 0.1;
const FIRST_STOCK_NUMBER = 10002;

interface DraftProduct {
  description: string;
  category: number;
  theme: number;
  price: number;
  /** Colour-variant letter ('A', 'B', …) or '' for a plain code. */
  variant: string;
  /** First of its colour family (or a plain product): takes a new stock number. */
  newNumber: boolean;
}

/** Builds `productCount` products in themed groups across the catalogue's categories. */
export function buildProductCatalog(rng: Rng, productCount: number): ProductCatalog {
  const perCategory = apportion(CATEGORIES.map((category) => category.weight), productCount);
  const drafts: DraftProduct[] = [];
  const themes: { name: string; category: number; members: number[]; popularity: number }[] = [];
  const usedDescriptions = new Set<string>();

  CATEGORIES.forEach((category, categoryIndex) => {
    let remaining = perCategory[categoryIndex] ?? 0;
    const motifs = motifSequence(rng, category);
    for (let themeNumber = 0; remaining > 0; themeNumber++) {
      const motif = motifAt(motifs, themeNumber);
      const themeIndex = themes.length;
      const members: number[] = [];
      const wanted = Math.min(remaining, 2 + rng.geometric(AVERAGE_EXTRA_THEME_SIZE));
      const templates = rng.shuffle(category.items.slice());
      for (const item of templates) {
        if (members.length >= wanted) break;
        const description = item.template.replace('{m}', motif);
        if (usedDescriptions.has(description)) continue;
        usedDescriptions.add(description);
        const price = roundPrice(item.basePrice * rng.logNormal(1, 0.25));
        const canVary = wanted - members.length >= 2 && !COLOURS.some((colour) => motif.includes(colour));
        const familySize = canVary && rng.chance(VARIANT_FAMILY_CHANCE) ? rng.integer(2, Math.min(3, wanted - members.length)) : 1;
        const colours = familySize > 1 ? rng.shuffle(COLOURS.slice()) : [];
        let newNumber = true;
        for (let member = 0; member < familySize; member++) {
          const colour = colours[member] ?? '';
          const variantDescription = familySize === 1 ? description : item.template.startsWith('{m}') ? `${colour} ${description}` : `${description} ${colour}`;
          if (familySize > 1 && usedDescriptions.has(variantDescription)) continue;
          usedDescriptions.add(variantDescription);
          members.push(drafts.length);
          const variant = familySize > 1 ? String.fromCharCode(65 + member) : '';
          drafts.push({ description: variantDescription, category: categoryIndex, theme: themeIndex, price, variant, newNumber });
          newNumber = false;
        }
      }
      if (members.length === 0) continue;
      remaining -= members.length;
      themes.push({ name: `${category.name} · ${motif}`, category: categoryIndex, members, popularity: rng.logNormal(1, 1) });
    }
  });

  const stockCodes = assignStockCodes(rng, drafts);
  const products: Product[] = drafts.map((draft, index) => ({
    stockCode: stockCodes[index] ?? '',
    description: draft.description,
    category: draft.category,
    theme: draft.theme,
    price: draft.price,
    bulkPrice: Math.min(draft.price, roundPrice(draft.price * 0.85)),
    guestPrice: roundPrice(draft.price * 1.3),
    packSize: packSizeFor(rng, draft.price),
  }));
  return {
    products,
    themes: themes.map((theme) => ({
      name: theme.name,
      category: theme.category,
      products: Int32Array.from(theme.members),
      productWeights: Float64Array.from(theme.members, () => rng.logNormal(1, 0.6)),
      popularity: theme.popularity,
    })),
    categories: CATEGORIES,
  };
}

/** The category's own motifs, then shared ones, then colour + motif combinations — each once. */
function motifSequence(rng: Rng, category: CategorySpec): string[] {
  const own = rng.shuffle(category.motifs.slice());
  const shared = rng.shuffle(SHARED_MOTIFS.filter((motif) => !category.motifs.includes(motif)));
  const combined = [...own, ...shared];
  const coloured = rng.shuffle(COLOURS.flatMap((colour) => combined.filter((motif) => !motif.startsWith(colour)).map((motif) => `${colour} ${motif}`)));
  return [...new Set([...combined, ...coloured])];
}

function motifAt(motifs: readonly string[], index: number): string {
  const base = motifs[index % motifs.length] ?? 'ASSORTED';
  return index < motifs.length ? base : `${base} DESIGN ${Math.floor(index / motifs.length) + 1}`;
}

/** Five-digit codes rising through the catalogue (themes get neighbouring codes); colour variants share a number. */
function assignStockCodes(rng: Rng, drafts: readonly DraftProduct[]): string[] {
  const needed = drafts.filter((draft) => draft.newNumber).length;
  const span = Math.max(80_000, needed * 3);
  const numbers = sortedDistinct(rng, needed, FIRST_STOCK_NUMBER, span);
  let next = -1;
  return drafts.map((draft) => {
    if (draft.newNumber) next++;
    return `${numbers[next] ?? FIRST_STOCK_NUMBER + span + next}${draft.variant}`;
  });
}

function packSizeFor(rng: Rng, price: number): number {
  if (price < 0.5) return rng.pick([12, 24, 25]);
  if (price < 1.2) return rng.pick([6, 12]);
  if (price < 3) return rng.pick([2, 4, 6, 12]);
  if (price < 6) return rng.pick([1, 2, 4, 6]);
  return rng.pick([1, 2]);
}

/** Shop-like price points: pennies under £1, 5p steps under £10, 25p steps above. */
export function roundPrice(price: number): number {
  const step = price < 1 ? 0.01 : price < 10 ? 0.05 : 0.25;
  return Math.max(0.1, Math.round(Math.round(price / step) * step * 100) / 100);
}
