/** A dense feature matrix, one customer (or product) per row, stored row-major: `values[row * cols + col]`. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly values: Float64Array;
}

/** A rows × cols matrix, zero-filled or over the given row-major values: `matrix(2, 3)`. */
export function matrix(rows: number, cols: number, values?: Float64Array): Matrix {
  if (!Number.isInteger(rows) || rows < 0) throw new RangeError(`rows must be a non-negative integer, got ${rows}`);
  if (!Number.isInteger(cols) || cols < 0) throw new RangeError(`cols must be a non-negative integer, got ${cols}`);
  const data = values ?? new Float64Array(rows * cols);
  if (data.length !== rows * cols) {
    throw new RangeError(`a ${rows} × ${cols} matrix needs ${rows * cols} values, got ${data.length}`);
  }
  return { rows, cols, values: data };
}

/** From an array of equal-length rows: `fromRows([[12, 5, 430], [200, 1, 35]])`. */
export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows[0]?.length ?? 0;
  const values = new Float64Array(rows.length * cols);
  rows.forEach((row, index) => {
    if (row.length !== cols) throw new RangeError(`row ${index} has ${row.length} values, expected ${cols}`);
    values.set(row, index * cols);
  });
  return { rows: rows.length, cols, values };
}

/** From equal-length columns (as they arrive from an Arrow table): `fromColumns([recencyDays, orders, spend])`. */
export function fromColumns(columns: readonly ArrayLike<number>[]): Matrix {
  const cols = columns.length;
  const rows = columns[0]?.length ?? 0;
  const values = new Float64Array(rows * cols);
  columns.forEach((column, col) => {
    if (column.length !== rows) throw new RangeError(`column ${col} has ${column.length} values, expected ${rows}`);
    for (let row = 0; row < rows; row++) values[row * cols + col] = column[row] ?? Number.NaN;
  });
  return { rows, cols, values };
}

/** The rows as plain arrays (for tests, JSON and small tables). */
export function toRows(m: Matrix): number[][] {
  return Array.from({ length: m.rows }, (_, row) => Array.from(getRow(m, row)));
}

/** A view (not a copy) of one row. */
export function getRow(m: Matrix, row: number): Float64Array {
  return m.values.subarray(row * m.cols, (row + 1) * m.cols);
}

/** One column, copied out. */
export function getColumn(m: Matrix, col: number): Float64Array {
  const column = new Float64Array(m.rows);
  for (let row = 0; row < m.rows; row++) column[row] = m.values[row * m.cols + col] ?? Number.NaN;
  return column;
}

/** The cell at (row, col). */
export function get(m: Matrix, row: number, col: number): number {
  const value = m.values[row * m.cols + col];
  if (value === undefined || row >= m.rows || col >= m.cols) {
    throw new RangeError(`(${row}, ${col}) is outside a ${m.rows} × ${m.cols} matrix`);
  }
  return value;
}

/** The rows at `indices`, copied into a new matrix. */
export function selectRows(m: Matrix, indices: ArrayLike<number>): Matrix {
  const values = new Float64Array(indices.length * m.cols);
  for (let i = 0; i < indices.length; i++) {
    const row = indices[i] ?? 0;
    values.set(m.values.subarray(row * m.cols, (row + 1) * m.cols), i * m.cols);
  }
  return { rows: indices.length, cols: m.cols, values };
}

/** Squared Euclidean distance between row `a` of `x` and row `b` of `y` (both with `cols` columns). */
export function squaredDistance(x: Float64Array, a: number, y: Float64Array, b: number, cols: number): number {
  let sum = 0;
  const offsetA = a * cols;
  const offsetB = b * cols;
  for (let col = 0; col < cols; col++) {
    const diff = (x[offsetA + col] as number) - (y[offsetB + col] as number);
    sum += diff * diff;
  }
  return sum;
}

/** Fails fast on a non-finite feature, naming the row and column: models cannot cluster NaN. */
export function assertFinite(m: Matrix, what: string): void {
  if (m.values.length !== m.rows * m.cols) {
    throw new RangeError(`${what}: a ${m.rows} × ${m.cols} matrix needs ${m.rows * m.cols} values, got ${m.values.length}`);
  }
  for (let i = 0; i < m.values.length; i++) {
    const value = m.values[i] as number;
    if (!Number.isFinite(value)) {
      throw new RangeError(`${what}: value ${value} at row ${Math.floor(i / m.cols)}, column ${i % m.cols} is not a finite number`);
    }
  }
}
