/**
 * Loads the SDK bundle (`dist/client-aws.js`) on first use. A plain `require` of a sibling file is left alone
 * by esbuild because `./client-aws` is external, so the SDK is read from disk only when this runs; the type
 * import is erased and costs nothing at activation.
 */
import type * as AwsEntry from '../aws-entry';

export type AwsModule = typeof AwsEntry;

let loaded: AwsModule | undefined;

export function loadAws(): AwsModule {
  loaded ??= require('./client-aws') as AwsModule;
  return loaded;
}
