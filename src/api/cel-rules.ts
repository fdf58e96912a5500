import { parse } from '@marcbachmann/cel-js';
import type { CelRule, StructuralSchema } from './crd.ts';

/** A compiled x-kubernetes-validations rule, ready to run against one value. */
export interface CompiledRule {
  rule: CelRule;
  /** Transition rules compare with the stored object, so they only apply to updates. */
  isTransition: boolean;
  holds: (self: unknown) => boolean;
  /** What a refusal says: the messageExpression's words for this value, else the message. */
  message: (self: unknown) => string | undefined;
}

/** Compiles the CEL rules of one schema node. */
export function compileRules(rules: CelRule[], schema: StructuralSchema): CompiledRule[] {
  return rules.map((rule) => {
    const isTransition = /\boldSelf\b/.test(rule.rule);
    const evaluate = parse(rule.rule);
    const describe = rule.messageExpression ? parse(rule.messageExpression) : undefined;
    return {
      rule,
      isTransition,
      holds: (self) => evaluate({ self: toCelValue(self, schema) }) === true,
      message: (self) => messageOf(rule, describe, toCelValue(self, schema)),
    };
  });
}

/** As the API server does: the expression's words when it gives a non-empty string, the static message otherwise. */
function messageOf(rule: CelRule, describe: ((context: object) => unknown) | undefined, self: unknown) {
  try {
    const words = describe?.({ self });
    if (typeof words === 'string' && words !== '') return words;
  } catch {
    // A message that cannot be computed falls back to the static one, as in the API server.
  }
  return rule.message;
}

/** CEL integers are 64-bit: give it BigInt wherever the schema says integer. */
function toCelValue(value: unknown, schema: StructuralSchema | undefined): unknown {
  if (schema?.type === 'integer' && typeof value === 'number') return BigInt(value);
  if (Array.isArray(value)) return value.map((item) => toCelValue(item, schema?.items));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, child]) => [key, toCelValue(child, schema?.properties?.[key])]),
    );
  }
  return value;
}
