/**
 * The one message catalogue: id → { en, ja } templates with `{name}` placeholders. Split by area
 * only to keep files short; ids are unique across the parts (the completeness test in
 * test/unit/i18n.test.ts checks that, and that both languages carry the same placeholders).
 */
import { CHECK_MESSAGES } from './check';
import { HOST_MESSAGES } from './hosts';
import { CONFIG_MESSAGES } from './config';
import { LIFECYCLE_MESSAGES } from './lifecycle';
import { AGENT_MESSAGES } from './agents';
import { PREFLIGHT_MESSAGES } from './preflight';

export const CATALOG = {
  ...CHECK_MESSAGES,
  ...HOST_MESSAGES,
  ...CONFIG_MESSAGES,
  ...LIFECYCLE_MESSAGES,
  ...AGENT_MESSAGES,
  ...PREFLIGHT_MESSAGES,
} as const;

/** Every part, for the test that no id is defined twice (a spread would hide it). */
export const CATALOG_PARTS: ReadonlyArray<Record<string, { en: string; ja: string }>> = [
  CHECK_MESSAGES,
  HOST_MESSAGES,
  CONFIG_MESSAGES,
  LIFECYCLE_MESSAGES,
  AGENT_MESSAGES,
  PREFLIGHT_MESSAGES,
];
