import { Type, type Static } from '@sinclair/typebox';
import { Id } from '@shopstack/kernel';
import { Slug } from './common.js';

/** One category of the public tree with its subcategories. */
export const CategoryNode = Type.Recursive(
  (Self) =>
    Type.Object(
      {
        id: Id,
        slug: Slug,
        name: Type.String(),
        description: Type.String(),
        productCount: Type.Integer({
          minimum: 0,
          description: 'Published products here and in subcategories',
        }),
        children: Type.Array(Self),
      },
      { additionalProperties: false },
    ),
  { $id: 'CatalogueCategoryNode' },
);
export type CategoryNode = Static<typeof CategoryNode>;

export const CategoryTree = Type.Object({ items: Type.Array(CategoryNode) }, { additionalProperties: false });
export type CategoryTree = Static<typeof CategoryTree>;
