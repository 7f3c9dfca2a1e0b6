export type SpecErrorCode =
  | 'unreadable'
  | 'empty'
  | 'binary'
  | 'too_large'
  | 'no_requirements'
  | 'bad_front_matter'
  | 'duplicate_id';

/** A spec that cannot be used. The message reads "<path>[:<line>]: what is wrong. How to fix it." */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  readonly code: SpecErrorCode;
  readonly path: string;
  readonly line?: number;

  constructor(code: SpecErrorCode, path: string, message: string, line?: number) {
    super(`${location(path, line)}: ${message}`);
    this.code = code;
    this.path = path;
    if (line !== undefined) this.line = line;
  }
}

export function location(path: string, line?: number): string {
  return line === undefined ? path : `${path}:${line}`;
}
