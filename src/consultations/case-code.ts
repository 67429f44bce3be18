import { randomInt } from 'node:crypto';

/** Letters and digits that cannot be misread for each other (no 0/O, 1/I). */
const ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
export const CASE_CODE_PATTERN = /^C-[A-Z0-9]{4,8}$/;

/** A short public case code such as `C-7KQ2MX`: easy to read aloud and type on a basic phone. */
export function newCaseCode(length = 6): string {
  let code = 'C-';
  for (let i = 0; i < length; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** Finds a case code in free text (case-insensitive), e.g. `/dx c-7kq2mx mel`. */
export function parseCaseCode(text: string): string | undefined {
  const m = /\bC-[A-Z0-9]{4,8}\b/i.exec(text);
  return m ? m[0].toUpperCase() : undefined;
}
