/**
 * Tricky queries with the relations they read, written out by hand (not produced by the code under test).
 * `reads` lists every relation occurrence in source order, a qualified name as `schema.name` and a part that is
 * not a plain word in double quotes (`"My Schema".T`); `writes` likewise; `parameters` are `$names` in order of
 * first use. Every query here is valid DuckDB 1.4 SQL (checked against its parser when the corpus was written).
 */
export interface CorpusCase {
  readonly sql: string;
  readonly reads: readonly string[];
  readonly writes?: readonly string[];
  readonly parameters?: readonly string[];
  readonly note: string;
}

export const CORPUS: readonly CorpusCase[] = [
  // ── plain reads, case, whitespace ──────────────────────────────────────────────────────────────
  { sql: 'SELECT * FROM sales', reads: ['sales'], note: 'the simplest read' },
  {
    sql: 'select customer_id, sum(amount) from sales s join customers c on s.customer_id = c.customer_id group by all',
    reads: ['sales', 'customers'],
    note: 'lowercase keywords; aliases s and c are not relations',
  },
  {
    sql: 'SeLeCt * FrOm Sales JoIn Customers UsInG (customer_id)',
    reads: ['Sales', 'Customers'],
    note: 'mixed-case keywords; names are returned as written, the caller resolves them case-insensitively',
  },
  { sql: 'SELECT * FROM main . sales', reads: ['main.sales'], note: 'blanks around the dot of a qualified name' },
  {
    sql: 'SELECT from_date, t.col, date_from, "from" FROM t',
    reads: ['t'],
    note: 'columns that merely contain or quote the word FROM',
  },
  {
    sql: 'SELECT * FROM data JOIN sample USING (id) JOIN "select" ON true',
    reads: ['data', 'sample', 'select'],
    note: 'unreserved keywords (DATA, SAMPLE) are valid bare table names; a reserved one must be quoted',
  },
  {
    sql: 'SELECT * FROM café JOIN "naïve table" USING (id)',
    reads: ['café', '"naïve table"'],
    note: 'non-ASCII identifiers, bare and quoted',
  },

  // ── CTEs ───────────────────────────────────────────────────────────────────────────────────────
  { sql: 'WITH a AS (SELECT * FROM b) SELECT * FROM a', reads: ['b'], note: 'a CTE name is not a relation' },
  {
    sql: 'WITH sales AS (SELECT * FROM sales WHERE amount > 0) SELECT * FROM sales',
    reads: ['sales'],
    note: 'a non-recursive CTE does not see itself: the inner sales is the real table (DuckDB 1.4 resolves it so), the outer is the CTE',
  },
  {
    sql: 'WITH a AS (SELECT * FROM orders), b AS (SELECT * FROM a JOIN products USING (product_id)) SELECT * FROM b',
    reads: ['orders', 'products'],
    note: 'a CTE body sees the CTEs before it',
  },
  {
    sql: 'WITH a AS (SELECT * FROM b), b AS (SELECT 1 AS x) SELECT * FROM a',
    reads: ['b'],
    note: 'a CTE body does not see later CTEs: b inside a is the real table b (checked in DuckDB 1.4, RECURSIVE or not)',
  },
  {
    sql: 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 10) SELECT * FROM r',
    reads: [],
    note: 'a recursive CTE refers to itself',
  },
  {
    sql: `WITH RECURSIVE tree AS (
            SELECT id, parent_id FROM categories WHERE parent_id IS NULL
            UNION ALL
            SELECT c.id, c.parent_id FROM categories c JOIN tree t ON c.parent_id = t.id)
          SELECT * FROM tree`,
    reads: ['categories', 'categories'],
    note: 'recursive CTE over a real table',
  },
  {
    sql: 'WITH RECURSIVE r(n) USING KEY (n) AS (SELECT 1 UNION SELECT n + 1 FROM r WHERE n < 3) SELECT * FROM r',
    reads: [],
    note: "DuckDB's USING KEY recursive CTE",
  },
  {
    sql: 'WITH RECURSIVE sales AS (SELECT * FROM sales WHERE amount > 0) SELECT * FROM sales',
    reads: ['sales'],
    note: 'RECURSIVE without a UNION does not recurse: DuckDB 1.4 reads the real table inside (checked), so it is a read',
  },
  {
    sql: 'SELECT * FROM (WITH sales AS (SELECT 1 AS x) SELECT * FROM sales) s, sales',
    reads: ['sales'],
    note: 'a CTE inside a subquery shadows only inside it: the final sales is the real table',
  },
  {
    sql: 'WITH a AS (SELECT 1 AS x) SELECT (WITH a AS (SELECT * FROM b) SELECT x FROM a) AS inner_x, x FROM a',
    reads: ['b'],
    note: 'an inner WITH redefines a within the scalar subquery; both a references are CTEs',
  },
  {
    sql: 'SELECT * FROM x WHERE id IN (WITH x AS (SELECT 1 AS id) SELECT id FROM x)',
    reads: ['x'],
    note: 'the CTE x of the IN-subquery does not shadow the outer x',
  },
  {
    sql: 'WITH outer_cte AS (WITH inner_cte AS (SELECT * FROM t1) SELECT * FROM inner_cte) SELECT * FROM outer_cte, inner_cte',
    reads: ['t1', 'inner_cte'],
    note: 'a CTE nested in a CTE body does not leak: the last inner_cte is a real table',
  },
  {
    sql: 'WITH a AS (SELECT * FROM base), b AS (WITH c AS (SELECT * FROM a) SELECT * FROM c JOIN extra USING (id)) SELECT * FROM b',
    reads: ['base', 'extra'],
    note: 'a WITH nested in a CTE body sees the outer CTEs before it',
  },
  {
    sql: 'WITH "Recent" AS (SELECT * FROM orders) SELECT * FROM recent',
    reads: ['orders'],
    note: 'DuckDB matches quoted identifiers case-insensitively too, so "Recent" shadows recent',
  },
  {
    sql: 'WITH sales AS (SELECT 1 AS id) SELECT * FROM main.sales',
    reads: ['main.sales'],
    note: 'a qualified name never refers to a CTE',
  },
  {
    sql: 'WITH a AS MATERIALIZED (SELECT * FROM b), c AS NOT MATERIALIZED (SELECT * FROM a) SELECT * FROM c',
    reads: ['b'],
    note: 'MATERIALIZED hints',
  },
  {
    sql: 'WITH totals(customer_id, total) AS (SELECT customer_id, sum(amount) FROM sales GROUP BY 1) SELECT * FROM totals JOIN customers USING (customer_id)',
    reads: ['sales', 'customers'],
    note: 'CTE with a column list',
  },
  {
    sql: 'WITH a AS (SELECT * FROM b) SELECT * FROM a UNION ALL SELECT * FROM a',
    reads: ['b'],
    note: 'a WITH covers every branch of a set operation',
  },
  {
    sql: 'WITH a AS (SELECT * FROM b) (SELECT * FROM a) UNION (SELECT * FROM a)',
    reads: ['b'],
    note: 'a WITH covers parenthesised branches',
  },
  {
    sql: 'WITH x AS (SELECT 1 AS id) SELECT * FROM x AS y JOIN y USING (id)',
    reads: ['y'],
    note: 'an alias named like a table is not that table: the joined y is real',
  },
  {
    sql: 'WITH a AS (SELECT 1 AS x) FROM a',
    reads: [],
    note: 'WITH before FROM-first syntax',
  },

  // ── subqueries ─────────────────────────────────────────────────────────────────────────────────
  {
    sql: 'SELECT * FROM customers WHERE customer_id IN (SELECT customer_id FROM sales WHERE amount > 100)',
    reads: ['customers', 'sales'],
    note: 'IN-subquery',
  },
  {
    sql: 'SELECT * FROM customers c WHERE EXISTS (SELECT 1 FROM sales s WHERE s.customer_id = c.customer_id) AND NOT EXISTS (FROM returns r WHERE r.customer_id = c.customer_id)',
    reads: ['customers', 'sales', 'returns'],
    note: 'EXISTS with SELECT and with FROM-first',
  },
  {
    sql: 'SELECT product_id, (SELECT max(amount) FROM sales) AS top, (SELECT count(*) FROM (SELECT DISTINCT customer_id FROM sales)) AS buyers FROM products',
    reads: ['sales', 'sales', 'products'],
    note: 'scalar subqueries in the SELECT list, one nested',
  },
  {
    sql: 'SELECT * FROM (SELECT * FROM (SELECT * FROM (SELECT * FROM deep_t) a) b) c',
    reads: ['deep_t'],
    note: 'derived tables nested three deep; a, b, c are aliases',
  },
  {
    sql: 'SELECT * FROM products WHERE unit_price > ANY (SELECT unit_price FROM competitor_prices)',
    reads: ['products', 'competitor_prices'],
    note: 'ANY-subquery',
  },
  {
    sql: "SELECT (SELECT string_agg(name, ', ') FROM tags WHERE tags.id = p.id) AS tag_list FROM products p",
    reads: ['tags', 'products'],
    note: 'correlated scalar subquery before the outer FROM',
  },
  {
    sql: 'SELECT * FROM a JOIN b ON b.id IN (SELECT id FROM c WHERE c.flag) JOIN d USING (id)',
    reads: ['a', 'b', 'c', 'd'],
    note: 'a subquery inside a join condition, then another join',
  },

  // ── joins ──────────────────────────────────────────────────────────────────────────────────────
  {
    sql: 'SELECT * FROM a INNER JOIN b ON a.id = b.id LEFT JOIN c ON true LEFT OUTER JOIN d USING (id) RIGHT JOIN e ON true FULL OUTER JOIN f ON true CROSS JOIN g NATURAL JOIN h',
    reads: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
    note: 'every classic join kind in one chain',
  },
  {
    sql: 'SELECT * FROM customers SEMI JOIN sales USING (customer_id) ANTI JOIN returns USING (customer_id)',
    reads: ['customers', 'sales', 'returns'],
    note: 'SEMI and ANTI joins',
  },
  {
    sql: 'SELECT * FROM trades t ASOF JOIN quotes q ON t.symbol = q.symbol AND t.ts >= q.ts',
    reads: ['trades', 'quotes'],
    note: 'ASOF JOIN',
  },
  {
    sql: 'FROM prices ASOF LEFT JOIN holdings USING (ticker, "when")',
    reads: ['prices', 'holdings'],
    note: 'ASOF LEFT JOIN with USING, FROM-first',
  },
  { sql: 'SELECT * FROM left_side POSITIONAL JOIN right_side', reads: ['left_side', 'right_side'], note: 'POSITIONAL JOIN' },
  {
    sql: 'SELECT * FROM t1 NATURAL FULL OUTER JOIN t2 NATURAL LEFT JOIN t3',
    reads: ['t1', 't2', 't3'],
    note: 'NATURAL with FULL OUTER and LEFT',
  },
  {
    sql: 'SELECT * FROM customers c, LATERAL (SELECT * FROM sales s WHERE s.customer_id = c.customer_id ORDER BY amount DESC LIMIT 3) top3',
    reads: ['customers', 'sales'],
    note: 'comma LATERAL subquery',
  },
  {
    sql: 'SELECT * FROM orders o JOIN LATERAL unnest(o.items) AS i(item) ON true',
    reads: ['orders'],
    note: 'JOIN LATERAL over a table function',
  },
  {
    sql: 'SELECT * FROM a, b AS x, c y, main.d',
    reads: ['a', 'b', 'c', 'main.d'],
    note: 'comma list with AS alias, bare alias and a qualified name',
  },
  {
    sql: 'SELECT * FROM t1 JOIN t2 USING (x), t3',
    reads: ['t1', 't2', 't3'],
    note: 'a comma after a USING list starts a new item',
  },
  {
    sql: 'SELECT * FROM a JOIN b ON CASE WHEN a.x > 0 THEN a.x ELSE 0 END = b.x, c',
    reads: ['a', 'b', 'c'],
    note: 'CASE inside an ON condition, then a comma item',
  },
  {
    sql: 'SELECT * FROM (sales JOIN customers USING (customer_id)) JOIN (products NATURAL JOIN categories) ON true',
    reads: ['sales', 'customers', 'products', 'categories'],
    note: 'parenthesised joins are not subqueries but still name relations',
  },
  {
    sql: 'SELECT * FROM t1 JOIN t2 ON t1.id = t2.id LEFT JOIN t3 ON t3.id = ANY (ARRAY(SELECT id FROM t4)), t5',
    reads: ['t1', 't2', 't3', 't4', 't5'],
    note: 'ARRAY(subquery) inside a join condition, then a comma item',
  },
  {
    sql: 'SELECT * FROM ((a JOIN b USING (k)) JOIN c USING (k))',
    reads: ['a', 'b', 'c'],
    note: 'doubly parenthesised joins',
  },

  // ── FROM-first, TABLE, DESCRIBE, SUMMARIZE, SHOW ───────────────────────────────────────────────
  { sql: 'FROM sales SELECT customer_id, sum(amount) GROUP BY ALL', reads: ['sales'], note: 'FROM-first with SELECT' },
  { sql: 'FROM sales', reads: ['sales'], note: 'bare FROM' },
  {
    sql: 'FROM sales WHERE customer_id IN (FROM vip SELECT customer_id)',
    reads: ['sales', 'vip'],
    note: 'FROM-first subquery',
  },
  { sql: 'TABLE sales', reads: ['sales'], note: 'TABLE statement' },
  { sql: 'SELECT * FROM a UNION TABLE b', reads: ['a', 'b'], note: 'TABLE as a set-operation branch' },
  {
    sql: 'DESCRIBE sales; SUMMARIZE main.customers; SHOW products; DESCRIBE TABLE returns',
    reads: ['sales', 'main.customers', 'products', 'returns'],
    note: 'DESCRIBE, SUMMARIZE, SHOW and DESCRIBE TABLE name a relation',
  },
  { sql: 'SHOW TABLES; SHOW ALL TABLES; SHOW DATABASES', reads: [], note: 'SHOW TABLES and friends name none' },
  { sql: 'SUMMARIZE SELECT amount FROM sales', reads: ['sales'], note: 'SUMMARIZE of a query' },
  { sql: 'SELECT column_name FROM (DESCRIBE sales)', reads: ['sales'], note: 'DESCRIBE as a subquery' },
  { sql: 'EXPLAIN ANALYZE SELECT * FROM sales', reads: ['sales'], note: 'EXPLAIN ANALYZE of a query' },

  // ── comments, strings, dollar quotes, quoted names ─────────────────────────────────────────────
  {
    sql: 'SELECT 1 AS one -- FROM fake1\n/* FROM fake2 /* nested FROM fake3 */ still a comment FROM fake4 */ FROM real_t',
    reads: ['real_t'],
    note: 'line comment and nested block comment containing FROM',
  },
  {
    sql: String.raw`SELECT 'FROM fake1' AS a, E'it\'s FROM fake2' AS b, 'x'' FROM fake3' AS c FROM real_t`,
    reads: ['real_t'],
    note: "strings with FROM, an E-string with \\' and a '' escape",
  },
  {
    sql: "SELECT $$ FROM fake1 $$ AS a, $q$ it's FROM fake2 $q$ AS note FROM real_t WHERE x = $param",
    reads: ['real_t'],
    parameters: ['param'],
    note: "dollar-quoted strings (one holding a lone ') beside a real $param",
  },
  {
    sql: 'SELECT * FROM "Sales 2011" JOIN "odd ""name""" ON true JOIN "a.b" ON true',
    reads: ['"Sales 2011"', '"odd ""name"""', '"a.b"'],
    note: 'quoted identifiers with a space, doubled quotes and a dot (one name, not schema.name)',
  },
  {
    sql: 'SELECT * FROM "My Schema"."T" JOIN memory.main.sales USING (id)',
    reads: ['"My Schema".T', 'memory.main.sales'],
    note: 'quoted schema keeps its case; catalog.schema.name',
  },
  { sql: '-- nothing here\n/* FROM x */', reads: [], note: 'only comments' },
  { sql: 'SELECT * FROM sales -- FROM nothing', reads: ['sales'], note: 'trailing line comment without a newline' },
  {
    sql: 'SELECT * FROM a; -- done\nSELECT * FROM b; /* trailing */',
    reads: ['a', 'b'],
    note: 'statements separated by ; with trailing comments',
  },

  // ── table functions, files, functions with FROM ────────────────────────────────────────────────
  {
    sql: "SELECT * FROM range(10) r, generate_series(1, 3) g, read_csv('sales.csv') c, unnest([1, 2]) u(x)",
    reads: [],
    note: 'table functions are not relations',
  },
  {
    sql: 'SELECT * FROM unnest((SELECT list(customer_id) FROM customers))',
    reads: ['customers'],
    note: 'a subquery inside a table function argument',
  },
  { sql: "SELECT * FROM 'data/sales.parquet'", reads: [], note: 'a file path is not a relation name' },
  {
    sql: "SELECT extract(year FROM invoice_date) AS y, substring(description FROM 1 FOR 10) AS d, trim(BOTH ' ' FROM country) AS c, trim(FROM description) AS t, position('a' IN description) AS p FROM sales",
    reads: ['sales'],
    note: 'FROM inside EXTRACT, SUBSTRING and TRIM (even TRIM(FROM x)) is an argument, not a clause',
  },
  {
    sql: "SELECT * FROM sales WHERE country IS DISTINCT FROM 'UK' OR customer_id IS NOT DISTINCT FROM NULL",
    reads: ['sales'],
    note: 'IS [NOT] DISTINCT FROM',
  },
  {
    sql: 'SELECT * FROM a JOIN b USING (id) WHERE a.country IS DISTINCT FROM b.country OR a.city IS NOT DISTINCT FROM city',
    reads: ['a', 'b'],
    note: 'IS [NOT] DISTINCT FROM followed by column names, which must not be taken for relations',
  },
  {
    sql: 'SELECT * EXCLUDE (note) REPLACE (amount * 2 AS amount) FROM sales GROUP BY GROUPING SETS ((country), (customer_id), ())',
    reads: ['sales'],
    note: 'star EXCLUDE/REPLACE and GROUPING SETS',
  },
  {
    sql: 'SELECT amount::DECIMAL(10, 2), CAST(invoice_date AS DATE), TRY_CAST(quantity AS INTEGER) FROM sales',
    reads: ['sales'],
    note: 'casts',
  },
  {
    sql: "SELECT [x FOR x IN tags IF x <> 'FROM'], {'k': 1, 'v': [1, 2][1:1]} FROM items",
    reads: ['items'],
    note: 'list comprehension, struct literal and slice',
  },
  {
    sql: 'SELECT list_transform(l, x -> x + 1), list_filter(l, lambda x: x > 0) FROM lists',
    reads: ['lists'],
    note: 'arrow and LAMBDA lambdas',
  },
  { sql: 'SELECT #1, 1e-3, .5, 1_000 FROM t', reads: ['t'], note: 'positional column and number forms' },

  // ── clauses ────────────────────────────────────────────────────────────────────────────────────
  {
    sql: 'SELECT customer_id, amount, row_number() OVER w AS rn FROM sales WINDOW w AS (PARTITION BY customer_id ORDER BY amount DESC) QUALIFY rn = 1',
    reads: ['sales'],
    note: 'WINDOW clause and QUALIFY',
  },
  {
    sql: 'SELECT sum(amount) OVER (ORDER BY invoice_date ROWS BETWEEN 6 PRECEDING AND CURRENT ROW) FROM daily',
    reads: ['daily'],
    note: 'window frame',
  },
  { sql: 'SELECT country, count(*) FROM sales GROUP BY ALL ORDER BY ALL', reads: ['sales'], note: 'GROUP BY ALL, ORDER BY ALL' },
  { sql: 'SELECT count(*) FILTER (WHERE amount > 0) FROM sales', reads: ['sales'], note: 'aggregate FILTER' },
  {
    sql: 'SELECT DISTINCT ON (customer_id) * FROM sales ORDER BY customer_id, invoice_date DESC',
    reads: ['sales'],
    note: 'DISTINCT ON (its ON is not a join condition)',
  },
  { sql: 'SELECT * FROM sales USING SAMPLE 10%', reads: ['sales'], note: 'USING SAMPLE (not a join USING)' },
  {
    sql: 'SELECT * FROM sales TABLESAMPLE reservoir(50 ROWS) REPEATABLE (42), customers',
    reads: ['sales', 'customers'],
    note: 'TABLESAMPLE on one item of a comma list',
  },

  // ── PIVOT / UNPIVOT ────────────────────────────────────────────────────────────────────────────
  { sql: 'PIVOT sales ON country USING sum(amount) GROUP BY customer_id', reads: ['sales'], note: 'PIVOT statement' },
  {
    sql: "SELECT * FROM sales PIVOT (sum(amount) FOR country IN ('UK', 'France'))",
    reads: ['sales'],
    note: 'SQL-standard PIVOT in FROM',
  },
  {
    sql: 'PIVOT sales ON country, year USING sum(amount), count(*)',
    reads: ['sales'],
    note: 'the commas after ON are pivot columns, not FROM items',
  },
  {
    sql: 'UNPIVOT monthly ON jan, feb, mar INTO NAME month VALUE revenue',
    reads: ['monthly'],
    note: 'UNPIVOT statement',
  },
  {
    sql: 'SELECT * FROM (PIVOT (SELECT * FROM sales WHERE amount > 0) ON country USING sum(amount))',
    reads: ['sales'],
    note: 'PIVOT of a subquery, itself a subquery',
  },

  // ── set operations and VALUES ──────────────────────────────────────────────────────────────────
  {
    sql: 'SELECT id FROM a UNION SELECT id FROM b INTERSECT SELECT id FROM c EXCEPT ALL SELECT id FROM d UNION ALL BY NAME FROM e',
    reads: ['a', 'b', 'c', 'd', 'e'],
    note: 'UNION, INTERSECT, EXCEPT ALL, UNION ALL BY NAME with a FROM-first branch',
  },
  { sql: '(SELECT * FROM a) UNION (SELECT * FROM b) ORDER BY 1', reads: ['a', 'b'], note: 'parenthesised set operation' },
  {
    sql: "SELECT * FROM (VALUES (1, 'FROM a'), (2, 'b')) AS v(id, label) JOIN labels USING (id)",
    reads: ['labels'],
    note: 'a VALUES list as a derived table',
  },
  { sql: 'VALUES (1), (2)', reads: [], note: 'bare VALUES' },
  { sql: 'SELECT * FROM t WHERE x IN (VALUES (5))', reads: ['t'], note: 'VALUES in an IN list' },

  // ── statements that write ──────────────────────────────────────────────────────────────────────
  {
    sql: 'WITH fresh AS (SELECT * FROM staging) INSERT INTO sales SELECT * FROM fresh',
    reads: ['staging'],
    writes: ['sales'],
    note: 'a WITH before INSERT',
  },
  {
    sql: "INSERT INTO archive SELECT * FROM sales WHERE invoice_date < DATE '2011-01-01'",
    reads: ['sales'],
    writes: ['archive'],
    note: 'INSERT … SELECT reads the source and writes the target',
  },
  {
    sql: "INSERT INTO t (a, b) VALUES (1, 'FROM x'), (2, 'y')",
    reads: [],
    writes: ['t'],
    note: 'INSERT … VALUES with a column list',
  },
  {
    sql: 'INSERT OR REPLACE INTO main.totals BY NAME SELECT customer_id, sum(amount) AS total FROM sales GROUP BY 1',
    reads: ['sales'],
    writes: ['main.totals'],
    note: 'INSERT OR REPLACE … BY NAME',
  },
  {
    sql: 'INSERT INTO totals SELECT customer_id, sum(amount) FROM sales GROUP BY 1 ON CONFLICT (customer_id) DO UPDATE SET total = excluded.total, updated = now()',
    reads: ['sales'],
    writes: ['totals'],
    note: 'ON CONFLICT … DO UPDATE SET a = …, b = …: its commas are not FROM items',
  },
  {
    sql: 'INSERT INTO log SELECT * FROM events ON CONFLICT DO UPDATE SET n = excluded.n, seen = true',
    reads: ['events'],
    writes: ['log'],
    note: 'ON CONFLICT right after a FROM item, where ON could start a join condition',
  },
  {
    sql: "CREATE OR REPLACE TABLE monthly AS SELECT date_trunc('month', invoice_date) AS month, sum(amount) FROM sales GROUP BY 1",
    reads: ['sales'],
    writes: ['monthly'],
    note: 'CREATE TABLE AS',
  },
  {
    sql: "CREATE VIEW v AS FROM sales WHERE country = 'France'",
    reads: ['sales'],
    writes: ['v'],
    note: 'CREATE VIEW with FROM-first',
  },
  {
    sql: 'CREATE TABLE summary AS WITH s AS (SELECT * FROM sales) SELECT count(*) FROM s',
    reads: ['sales'],
    writes: ['summary'],
    note: 'CREATE TABLE AS with a WITH',
  },
  {
    sql: 'CREATE TEMP TABLE tmp AS SELECT * FROM sales; SELECT * FROM tmp JOIN customers USING (customer_id);',
    reads: ['sales', 'customers'],
    writes: ['tmp'],
    note: 'judgement call: tmp is created by an earlier statement of the same cell, so reading it later is not a dependency (it would otherwise be an unknown name)',
  },
  {
    sql: 'UPDATE products SET unit_price = p.price FROM price_list p WHERE products.product_id = p.product_id',
    reads: ['price_list'],
    writes: ['products'],
    note: 'UPDATE … FROM: the target is written (listed under writes only)',
  },
  {
    sql: 'DELETE FROM sales USING returns WHERE sales.invoice_id = returns.invoice_id',
    reads: ['returns'],
    writes: ['sales'],
    note: 'DELETE FROM is not a read; USING is',
  },
  {
    sql: 'DELETE FROM sales WHERE customer_id IN (SELECT customer_id FROM blocked)',
    reads: ['blocked'],
    writes: ['sales'],
    note: 'DELETE with a subquery',
  },
  {
    sql: 'MERGE INTO customers USING staging_customers s ON customers.id = s.id WHEN MATCHED THEN UPDATE SET name = s.name, country = s.country WHEN NOT MATCHED THEN INSERT VALUES (s.id, s.name, s.country)',
    reads: ['staging_customers'],
    writes: ['customers'],
    note: 'MERGE: the commas in SET are not FROM items',
  },
  {
    sql: "COPY (SELECT * FROM sales) TO 'out.csv' (HEADER); COPY customers TO 'c.parquet'; COPY staging FROM 'in.csv'",
    reads: ['sales', 'customers'],
    writes: ['staging'],
    note: 'COPY … TO reads, COPY … FROM writes',
  },
  {
    sql: "ATTACH 'shop.db' AS shop; SET threads = 1; SELECT * FROM shop.main.orders",
    reads: ['shop.main.orders'],
    note: 'other statements read nothing; a three-part name',
  },

  // ── parameters ─────────────────────────────────────────────────────────────────────────────────
  {
    sql: "SELECT * FROM sales WHERE country = $country AND amount > $min_amount AND country <> $country AND invoice_id = $1 AND '$fake' <> ?",
    reads: ['sales'],
    parameters: ['country', 'min_amount'],
    note: '$names in order of first use, once each; $1, ? and a $ inside a string are not named parameters',
  },
  {
    sql: 'SELECT * FROM sales WHERE amount BETWEEN $low::DOUBLE AND $high -- AND $commented\n/* $also_commented */',
    reads: ['sales'],
    parameters: ['low', 'high'],
    note: 'a parameter followed by a cast; parameters in comments do not count',
  },
];
