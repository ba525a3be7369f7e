/** A problem found while reading a template: it is reported, never thrown. */
import type { Span } from '../tree';

export interface Problem {
  message: string;
  span: Span;
  severity: 'error' | 'warning';
}
