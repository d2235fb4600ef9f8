/**
 * User regexes run on every record, so a catastrophic pattern would stall a
 * sync. JavaScript has no linear-time engine built in; instead we refuse the
 * shapes that backtrack exponentially (a quantified group that itself holds a
 * quantifier or an alternation, and backreferences) and cap both the pattern
 * and the input length. This is a guard, not a proof.
 */
export const MAX_PATTERN = 200;
export const MAX_REGEX_INPUT = 10_000;

export function regexProblem(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN) return `pattern is longer than ${MAX_PATTERN} characters`;
  try {
    new RegExp(pattern, 'u');
  } catch (e) {
    return `not a valid regular expression: ${(e as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed';
  // Walk the groups: a group that contains a quantifier or `|` must not be quantified itself.
  const stack: { risky: boolean }[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (c === '[') {
      // Skip a character class; quantifier characters inside it are literals.
      for (i++; i < pattern.length && pattern[i] !== ']'; i++) if (pattern[i] === '\\') i++;
      continue;
    }
    if (c === '(') stack.push({ risky: false });
    else if (c === ')') {
      const g = stack.pop();
      const next = pattern[i + 1];
      const quantified = next === '*' || next === '+' || next === '{' || next === '?';
      if (g?.risky && quantified && next !== '?') return 'a quantified group may not contain a quantifier or an alternation (catastrophic backtracking)';
      if (g?.risky || quantified) markRisky(stack);
    } else if (c === '*' || c === '+' || c === '{' || c === '|') markRisky(stack);
  }
  return undefined;
}

const markRisky = (stack: { risky: boolean }[]): void => {
  const top = stack[stack.length - 1];
  if (top) top.risky = true;
};
