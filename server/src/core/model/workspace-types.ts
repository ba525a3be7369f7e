/**
 * The workspace as `analyze()` receives it: plain data about the other templates, and how their offsets
 * are told apart from the analysed template's. A module of its own so that the options, the facts and the
 * rule runner can name these without importing the resolver (which builds models, and so imports them).
 */
import type { Node } from '../tree';
import type { Dialect } from '../types';

export interface WorkspaceTemplate {
  /** The template's path as the host names it (relative to the workspace or working directory), `/`-separated. */
  path: string;
  /** Undefined when the template could not be parsed; `problem` says why. */
  root: Node | undefined;
  dialect: Dialect | undefined;
  /** The deployed stack name, when known (samconfig `stack_name`, `--stack-name`, Serverless `service`-`stage`). */
  stackName?: string;
  problem?: string;
  /** The template's text, when the host has it: findings placed in it honour its suppression comments. */
  text?: string;
}

/** The templates of a workspace; the analysed template is one of them, named by `AnalyzeOptions.path`. */
export interface Workspace {
  templates: readonly WorkspaceTemplate[];
}

/** Offsets of the other templates start past this many characters per template (texts are far shorter). */
export const TEMPLATE_OFFSET = 2 ** 32;
/** The prefix of an `assumed` marker that names a template rather than a parameter. */
export const ASSUMED_TEMPLATE = 'template:';

/** The template (index into `workspace.templates`) an offset lies in, and the offset in its own text. */
export function templateOfOffset(offset: number): { template: number; offset: number } | undefined {
  if (offset < TEMPLATE_OFFSET) return undefined;
  return { template: Math.floor(offset / TEMPLATE_OFFSET) - 1, offset: offset % TEMPLATE_OFFSET };
}

