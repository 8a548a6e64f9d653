/** Tiny `--key value` / `--flag` parser for the project's scripts (node:util parseArgs, strict). */
import { parseArgs } from 'node:util';

export function readArgs<T extends Record<string, { type: 'string' | 'boolean' }>>(options: T) {
  return parseArgs({ options, strict: true, allowPositionals: false }).values;
}
