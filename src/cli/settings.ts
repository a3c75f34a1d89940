/**
 * Reads what the user typed on the command line from a commander Command into RawSettings
 * keyed by long option name; options left at their default are absent, so the environment
 * and the configuration file can supply them (precedence flag > env > file > default).
 */
import type { Command } from 'commander';
import type { RawSettings } from '../config/file';

/** Collects a repeatable option's values. */
export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** RawSettings of the options given on the command line. */
export function typedSettings(cmd: Command): RawSettings {
  const out: RawSettings = {};
  const values = cmd.opts() as Record<string, unknown>;
  for (const opt of cmd.options) {
    const attr = opt.attributeName();
    if (cmd.getOptionValueSource(attr) !== 'cli') continue;
    const key = (opt.long ?? '').replace(/^--(no-)?/, '');
    const v = values[attr];
    if (typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number' || Array.isArray(v))
      out[key] = v as string | boolean | number | string[];
  }
  return out;
}
