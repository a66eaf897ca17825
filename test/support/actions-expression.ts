/**
 * A small evaluator of GitHub Actions expressions, enough for the example workflows' job filters (`if:`): string,
 * number and boolean literals, `github.x.y` paths with `.*.` object filters, `!`, `==`, `!=`, `&&`, `||`,
 * parentheses, and `startsWith`, `contains`, `join` and `fromJSON`, with GitHub's case-insensitive string
 * comparisons. Tests use it to ask which events a filter lets through.
 */
export function evaluateActionsExpression(text: string, context: Record<string, unknown>): unknown {
  const tokens = tokenize(text);
  let at = 0;
  const peek = () => tokens[at];
  const take = (expected?: string) => {
    const token = tokens[at++];
    if (token === undefined || (expected !== undefined && token !== expected)) {
      throw new Error(`expected ${expected ?? 'a token'} at token ${at} of ${text}`);
    }
    return token;
  };
  const or = (): unknown => {
    let value = and();
    while (peek() === '||') {
      take();
      const right = and();
      value = truthy(value) ? value : right;
    }
    return value;
  };
  const and = (): unknown => {
    let value = unary();
    while (peek() === '&&') {
      take();
      const right = unary();
      value = truthy(value) ? right : value;
    }
    return value;
  };
  const unary = (): unknown => {
    if (peek() === '!') {
      take();
      return !truthy(unary());
    }
    const left = primary();
    if (peek() === '==' || peek() === '!=') {
      const op = take();
      const equal = same(left, primary());
      return op === '==' ? equal : !equal;
    }
    return left;
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
    return path(token, context);
  };
  const value = or();
  if (at !== tokens.length) throw new Error(`unexpected ${tokens[at]} in ${text}`);
  return value;
}

function tokenize(text: string): string[] {
  const pattern = /\s*('(?:[^']|'')*'|&&|\|\||==|!=|[!(),]|[A-Za-z_][\w.*-]*|\d+(?:\.\d+)?)/y;
  const end = text.trimEnd().length;
  const tokens: string[] = [];
  while (pattern.lastIndex < end) {
    const match = pattern.exec(text);
    if (match === null) throw new Error(`cannot read ${text.slice(pattern.lastIndex)}`);
    tokens.push(match[1] ?? '');
  }
  return tokens;
}

function path(name: string, context: Record<string, unknown>): unknown {
  let values: unknown = context;
  let filtered = false;
  for (const part of name.split('.')) {
    if (part === '*') {
      values = Array.isArray(values) ? values : [];
      filtered = true;
      continue;
    }
    const get = (v: unknown) =>
      v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[part] : undefined;
    values = filtered ? (values as unknown[]).map(get).filter((v) => v !== undefined) : get(values);
  }
  return values ?? null;
}

function call(name: string, args: unknown[]): unknown {
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  switch (name.toLowerCase()) {
    case 'startswith':
      return text(args[0]).toLowerCase().startsWith(text(args[1]).toLowerCase());
    case 'contains':
      return Array.isArray(args[0])
        ? args[0].some((item) => same(item, args[1]))
        : text(args[0]).toLowerCase().includes(text(args[1]).toLowerCase());
    case 'join':
      return Array.isArray(args[0])
        ? args[0].map(text).join(args[1] === undefined ? ',' : text(args[1]))
        : text(args[0]);
    case 'fromjson':
      return JSON.parse(text(args[0]));
    default:
      throw new Error(`no function ${name}`);
  }
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return (a ?? null) === (b ?? null);
}

function truthy(value: unknown): boolean {
  return !(value === null || value === undefined || value === false || value === '' || value === 0);
}
