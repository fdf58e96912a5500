import { parse } from '@marcbachmann/cel-js';
import type { CelRule, StructuralSchema } from './crd.ts';

/** A compiled x-kubernetes-validations rule, ready to run against one value. */
export interface CompiledRule {
  rule: CelRule;
  /** Transition rules compare with the stored object, so they only apply to updates. */
  isTransition: boolean;
  holds: (self: unknown) => boolean;
}

/** Compiles the CEL rules of one schema node. */
export function compileRules(rules: CelRule[], schema: StructuralSchema): CompiledRule[] {
  return rules.map((rule) => {
    const isTransition = /\boldSelf\b/.test(rule.rule);
    const evaluate = parse(rule.rule);
    return {
      rule,
      isTransition,
      holds: (self) => evaluate({ self: toCelValue(self, schema) }) === true,
    };
  });
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
