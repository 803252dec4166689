// The `ru5` mark-scale record every school gets by default (canonical-model.md §A.2.14).
import { naturalId } from './ids.js';
import { DEFAULT_MODIFIER_POLICY, type ModifierPolicy, numericOf, RU5_FINAL_WHITELIST } from './scale.js';
import type { MarkModifier } from './enums.js';

export const RU5_SCALE_ID = naturalId('mark_scale', 'ru5');

export function ru5Values(policy: ModifierPolicy = DEFAULT_MODIFIER_POLICY) {
  const values: { raw: string; base: number; modifier: MarkModifier; numeric: number; passing: boolean }[] = [];
  for (let base = 1; base <= 5; base++) {
    for (const modifier of ['none', 'plus', 'minus'] as const) {
      const raw = `${base}${modifier === 'plus' ? '+' : modifier === 'minus' ? '-' : ''}`;
      values.push({ raw, base, modifier, numeric: numericOf(base, modifier, policy), passing: base >= 3 });
    }
  }
  return values;
}

export function ru5ScaleFields(policy: ModifierPolicy = DEFAULT_MODIFIER_POLICY) {
  return {
    code: 'ru5',
    title: 'Пятибалльная шкала',
    values: ru5Values(policy),
    allowsModifiers: true,
    finalWhitelist: RU5_FINAL_WHITELIST,
    modifierPolicy: policy,
  };
}
