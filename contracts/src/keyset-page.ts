import { Type, type TSchema } from '@sinclair/typebox';

/**
 * The query of a list read a page at a time by keyset, newest first: at most `limit` items (100 unless asked), and
 * after the first page the `continue` the previous one returned (a row key, so digits only).
 */
export const KeysetPageQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
    continue: Type.Optional(
      Type.String({ pattern: '^[1-9][0-9]{0,14}$', description: 'from the previous page' }),
    ),
  },
  { additionalProperties: false },
);

/** One page of such a list: its items and, when more follow, the `continue` to pass for the next page. */
export const keysetPage = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    continue: Type.Optional(Type.String()),
  });
