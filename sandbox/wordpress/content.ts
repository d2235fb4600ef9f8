/**
 * How WordPress turns stored content into `rendered`: block comments
 * (`<!-- wp:paragraph -->`) are dropped, classic text gets paragraphs
 * (a small wpautop), and excerpts are the first 55 words.
 */
const BLOCK_COMMENT = /<!--\s*\/?wp:[^>]*?-->\n?/g;
const BLOCK_TAGS = /<(p|div|h[1-6]|ul|ol|li|figure|blockquote|pre|table|hr)[\s>]/i;

export function renderContent(raw: string): string {
  const hasBlocks = /<!--\s*wp:/.test(raw);
  const stripped = raw.replace(BLOCK_COMMENT, '').trim();
  if (stripped === '') return '';
  if (hasBlocks || BLOCK_TAGS.test(stripped)) return `${stripped}\n`;
  return stripped.split(/\n\s*\n/).map((p) => `<p>${p.trim().replace(/\n/g, '<br />\n')}</p>`).join('\n') + '\n';
}

export function renderTitle(raw: string): string {
  return raw.replace(/'/g, '&#8217;').replace(/"([^"]*)"/g, '&#8220;$1&#8221;');
}

export function renderExcerpt(rawExcerpt: string, rawContent: string): string {
  if (rawExcerpt.trim() !== '') return `<p>${rawExcerpt.trim()}</p>\n`;
  const text = rawContent.replace(BLOCK_COMMENT, '').replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();
  if (text === '') return '';
  const words = text.split(' ');
  return `<p>${words.slice(0, 55).join(' ')}${words.length > 55 ? ' [&hellip;]' : ''}</p>\n`;
}

export function slugify(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9\s-]/g, '').trim().replace(/[\s-]+/g, '-');
}

/** Wraps text in a paragraph block, the shape the block editor saves. */
export const paragraphBlock = (text: string): string => `<!-- wp:paragraph -->\n<p>${text}</p>\n<!-- /wp:paragraph -->`;
