/** Small pieces several rules share: iterating attached functions, labels, related information. */
import type { FunctionVariant, LambdaFunction, Model, ResourceRef, VpcAttachment } from '../model/types';
import type { Related } from '../types';

export interface AttachedVariant {
  fn: LambdaFunction;
  variant: FunctionVariant;
  vpc: VpcAttachment;
}

/** Every (function, VPC-attached variant) pair. */
export function* attachedVariants(model: Model): Generator<AttachedVariant> {
  for (const fn of model.functions) {
    for (const variant of fn.variants) {
      if (variant.vpc) yield { fn, variant, vpc: variant.vpc };
    }
  }
}

/** The related entry pointing at where settings were inherited from (SAM Globals, provider.vpc). */
export function inheritedRelated(vpc: VpcAttachment): Related[] {
  return vpc.inheritedFrom ? [{ message: 'VPC settings inherited from here', span: vpc.inheritedFrom }] : [];
}

export function refName(ref: ResourceRef): string {
  if (ref.id) return ref.id;
  if (ref.literal) return ref.literal;
  return 'an unresolved value';
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
