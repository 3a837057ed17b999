/** Resolves cdktf tokens in `value` the way synthesis does, e.g. a reference to `${type.name.attr}`. */
import { DefaultTokenResolver, StringConcat, Tokenization } from 'cdktf';
import type { IConstruct } from 'constructs';

export function resolveTokens(scope: IConstruct, value: unknown): unknown {
  return Tokenization.resolve(value, { scope, resolver: new DefaultTokenResolver(new StringConcat()) });
}
