/*
 * The subset of Inngest's CEL expressions that function configs use: paths (`event.data.accountId`),
 * string/number/bool/null literals, + (concatenation), comparisons, !, && and ||, parentheses.
 * Anything else is refused when the runner syncs, so a config never silently means something else.
 */
export type Scope = Record<string, unknown>;
export type Expression = (scope: Scope) => unknown;

type Token = { kind: "path" | "string" | "number" | "op" | "paren"; text: string; value?: unknown };

export function compileExpression(source: string): Expression {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (text?: string) => {
    const token = tokens[pos];
    if (!token || (text !== undefined && token.text !== text)) {
      throw new Error(`Expression "${source}": expected ${text ?? "a value"} at token ${pos + 1}`);
    }
    pos++;
    return token;
  };

  const parseOr = (): Expression => {
    let left = parseAnd();
    while (peek()?.text === "||") {
      take();
      const [l, r] = [left, parseAnd()];
      left = (s) => truthy(l(s)) || truthy(r(s));
    }
    return left;
  };
  const parseAnd = (): Expression => {
    let left = parseComparison();
    while (peek()?.text === "&&") {
      take();
      const [l, r] = [left, parseComparison()];
      left = (s) => truthy(l(s)) && truthy(r(s));
    }
    return left;
  };
  const parseComparison = (): Expression => {
    const left = parseSum();
    const op = peek()?.text;
    if (op && ["==", "!=", "<", "<=", ">", ">="].includes(op)) {
      take();
      const right = parseSum();
      return (s) => compare(op, left(s), right(s));
    }
    return left;
  };
  const parseSum = (): Expression => {
    let left = parseUnary();
    while (peek()?.text === "+") {
      take();
      const [l, r] = [left, parseUnary()];
      left = (s) => {
        const a = l(s);
        const b = r(s);
        return typeof a === "number" && typeof b === "number" ? a + b : `${stringify(a)}${stringify(b)}`;
      };
    }
    return left;
  };
  const parseUnary = (): Expression => {
    if (peek()?.text === "!") {
      take();
      const inner = parseUnary();
      return (s) => !truthy(inner(s));
    }
    return parsePrimary();
  };
  const parsePrimary = (): Expression => {
    const token = take();
    if (token.text === "(") {
      const inner = parseOr();
      take(")");
      return inner;
    }
    if (token.kind === "string" || token.kind === "number") return () => token.value;
    if (token.kind === "path") {
      if (token.text === "true") return () => true;
      if (token.text === "false") return () => false;
      if (token.text === "null") return () => null;
      const segments = token.text.split(".");
      return (s) => segments.reduce<unknown>((value, key) => (isRecord(value) ? value[key] : undefined), s);
    }
    throw new Error(`Expression "${source}": unexpected "${token.text}"`);
  };

  const expression = parseOr();
  if (pos !== tokens.length) throw new Error(`Expression "${source}": unexpected "${tokens[pos]!.text}"`);
  return expression;
}

/** A concurrency/singleton/throttle key: the expression's value as a string ("" when absent). */
export function evaluateKey(expression: Expression | undefined, scope: Scope): string {
  if (!expression) return "";
  return stringify(expression(scope));
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*')|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w]*(?:\.[A-Za-z_][\w]*)*)|(==|!=|<=|>=|&&|\|\||[<>!+])|([()]))/y;
  let index = 0;
  while (index < source.length) {
    if (/^\s*$/.test(source.slice(index))) break;
    re.lastIndex = index;
    const m = re.exec(source);
    if (!m) throw new Error(`Expression "${source}" is not supported by the in-process runner (at "${source.slice(index)}")`);
    index = re.lastIndex;
    if (m[1]) tokens.push({ kind: "string", text: m[1], value: m[1].slice(1, -1).replace(/\\(.)/g, "$1") });
    else if (m[2]) tokens.push({ kind: "number", text: m[2], value: Number(m[2]) });
    else if (m[3]) tokens.push({ kind: "path", text: m[3] });
    else if (m[4]) tokens.push({ kind: "op", text: m[4] });
    else tokens.push({ kind: "paren", text: m[5]! });
  }
  return tokens;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case "==":
      return a === b || (a == null && b == null);
    case "!=":
      return !(a === b || (a == null && b == null));
    default: {
      if (typeof a !== typeof b || (typeof a !== "number" && typeof a !== "string")) return false;
      const [x, y] = [a as number | string, b as number | string];
      return op === "<" ? x < y : op === "<=" ? x <= y : op === ">" ? x > y : x >= y;
    }
  }
}

function truthy(value: unknown): boolean {
  return value === true;
}

function stringify(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}
