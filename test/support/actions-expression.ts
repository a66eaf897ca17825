/**
 * Evaluates a GitHub Actions expression (a job's `if:`) over a context, as a runner decides whether a job starts:
 * the subset flowgate's shipped workflows use: `||`, `&&`, `!`, `==`, `!=`, parentheses, string, number and
 * boolean literals, property paths (`github.event.comment.body`), and `startsWith`, `endsWith`, `contains`,
 * `fromJSON`. Comparisons of strings ignore case, as GitHub's do; a missing property is null. Throws on anything
 * else, so a filter this cannot read fails the test instead of passing it.
 */
export function evaluateExpression(expression: string, context: Record<string, unknown>): unknown {
  const tokens = tokenize(expression.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1'));
  let at = 0;
  const peek = () => tokens[at];
  const take = (want?: string) => {
    const token = tokens[at++];
    if (token === undefined || (want !== undefined && token !== want))
      throw new Error(`expected ${want ?? 'more'} at token ${at} of ${expression}`);
    return token;
  };
  const or = (): unknown => {
    let left = and();
    while (peek() === '||') {
      take();
      const right = and();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const and = (): unknown => {
    let left = compare();
    while (peek() === '&&') {
      take();
      const right = compare();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const compare = (): unknown => {
    const left = unary();
    const op = peek();
    if (op !== '==' && op !== '!=') return left;
    take();
    const equal = same(left, unary());
    return op === '==' ? equal : !equal;
  };
  const unary = (): unknown => {
    if (peek() === '!') {
      take();
      return !truthy(unary());
    }
    return primary();
  };
  const primary = (): unknown => {
    const token = take();
    if (token === '(') {
      const value = or();
      take(')');
      return value;
    }
    if (token.startsWith("'")) return token.slice(1, -1).replace(/''/g, "'");
    if (/^\d/.test(token)) return Number(token);
    if (token === 'true' || token === 'false') return token === 'true';
    if (token === 'null') return null;
    if (peek() === '(') {
      take('(');
      const args: unknown[] = [];
      while (peek() !== ')') {
        args.push(or());
        if (peek() === ',') take(',');
      }
      take(')');
      return call(token, args);
    }
    let value: unknown = context;
    for (const part of token.split('.'))
      value =
        typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
    return value ?? null;
  };
  const result = or();
  if (at !== tokens.length) throw new Error(`unread tokens in ${expression}`);
  return result;
}

function tokenize(text: string): string[] {
  const pattern = /\s*('(?:[^']|'')*'|\|\||&&|==|!=|!|\(|\)|,|[A-Za-z_][\w.-]*|\d+(?:\.\d+)?)/gy;
  const tokens: string[] = [];
  let match: RegExpExecArray | null;
  for (;;) {
    const before = pattern.lastIndex;
    match = pattern.exec(text);
    if (match === null) {
      if (text.slice(before).trim() !== '') throw new Error(`cannot read ${text.slice(before)}`);
      return tokens;
    }
    tokens.push(match[1] ?? '');
  }
}

function truthy(value: unknown): boolean {
  return value !== null && value !== undefined && value !== false && value !== 0 && value !== '';
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

function call(name: string, args: unknown[]): unknown {
  const [a, b] = args;
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v)).toLowerCase();
  switch (name) {
    case 'startsWith':
      return text(a).startsWith(text(b));
    case 'endsWith':
      return text(a).endsWith(text(b));
    case 'contains':
      return Array.isArray(a) ? a.some((item) => same(item, b)) : text(a).includes(text(b));
    case 'fromJSON':
      return JSON.parse(String(a)) as unknown;
    default:
      throw new Error(`the function ${name} is not known here`);
  }
}
