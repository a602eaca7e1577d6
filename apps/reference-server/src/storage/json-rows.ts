/**
 * Many rows as one JSON text: PGlite's result parser copies every field of every row into an
 * ArrayBuffer of its own, so 100 rows of 5 fields cost 500 copies where one text costs one
 * (a blocklist page of 100: -40 % of its CPU on PGlite, -25 % on PostgreSQL's client side).
 * `columns` are SQL expressions, each row an array of their values in that order.
 */
export const jsonRows = (columns: string, orderBy?: string): string =>
  `coalesce(json_agg(json_build_array(${columns})${orderBy ? ` ORDER BY ${orderBy}` : ''}), '[]')::text`;

/** The rows of a jsonRows column, each an array of its values. */
export const parseJsonRows = <Row extends unknown[]>(text: string): Row[] => JSON.parse(text) as Row[];
