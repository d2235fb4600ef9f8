import { parse } from '@wordpress/block-serialization-default-parser';

/**
 * Gutenberg content (`content.raw`, edit context) as a block tree, parsed
 * by WordPress's own default parser so comment delimiters, JSON attributes
 * and nesting follow the editor exactly. Whitespace between blocks comes
 * back from the parser as nameless "freeform" blocks; those are dropped,
 * while freeform blocks with real text (classic content) are kept as
 * `core/freeform`, the name the editor gives them.
 */
export interface Block {
  name: string;
  attrs: Record<string, unknown>;
  innerHTML: string;
  innerBlocks: Block[];
}

interface Parsed { blockName: string | null; attrs: Record<string, unknown> | null; innerHTML: string; innerBlocks: Parsed[] }

function toBlock(p: Parsed): Block | undefined {
  if (p.blockName === null && p.innerHTML.trim() === '') return undefined;
  return {
    name: p.blockName ?? 'core/freeform',
    attrs: { ...(p.attrs ?? {}) },
    innerHTML: p.innerHTML,
    innerBlocks: p.innerBlocks.map(toBlock).filter((b): b is Block => b !== undefined),
  };
}

export function blocksOf(raw: string): Block[] {
  if (raw === '') return [];
  return (parse(raw) as unknown as Parsed[]).map(toBlock).filter((b): b is Block => b !== undefined);
}

export const blockSchema = {
  $id: 'block',
  type: 'object',
  required: ['name', 'attrs', 'innerHTML', 'innerBlocks'],
  properties: {
    name: { type: 'string', description: 'e.g. core/paragraph' },
    attrs: { type: 'object' },
    innerHTML: { type: 'string' },
    innerBlocks: { type: 'array', items: { $ref: 'block' } },
  },
};
