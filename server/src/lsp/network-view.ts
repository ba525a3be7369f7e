/**
 * The `lambdaVpcLint/networkView` answer: the core's network tree of the analysed template, with its
 * spans turned into ranges of the document.
 */
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { NetworkNode } from '../core/network-view';
import { networkView } from '../core/network-view';
import type { AnalysisEntry } from './analysis';
import { rangeOf } from './diagnostics';
import type { NetworkViewItem, NetworkViewResult } from './protocol';

export function networkViewOf(doc: TextDocument, entry: AnalysisEntry): NetworkViewResult | null {
  const model = entry.result?.model;
  if (entry.kind !== 'template' || !model) return null;
  const toItem = (node: NetworkNode): NetworkViewItem => {
    const { span, children, ...rest } = node;
    return { ...rest, ...(span ? { range: rangeOf(doc, span) } : {}), children: children.map(toItem) };
  };
  return { uri: doc.uri, version: doc.version, functions: networkView(model, entry.result?.findings ?? []).map(toItem) };
}
