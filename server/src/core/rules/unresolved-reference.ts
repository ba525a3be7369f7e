import type { Model } from '../model/types';
import { subParts } from '../model/values';
import type { MapNode, Node, Span } from '../tree';
import { get, intrinsicName, isMap, isSeq, str } from '../tree';
import { defineRule } from '../engine/rule';
import { inTemplateText } from './helpers';

type MessageId = 'ref' | 'getAtt' | 'sub' | 'dependsOn';

interface Unresolved {
  messageId: MessageId;
  id: string;
  span: Span;
}

/** A name that can be a logical id: Serverless variables and other text are not references to judge. */
const LOGICAL_ID = /^[A-Za-z0-9]+$/;

function unresolvedIn(model: Model, node: Node, out: Unresolved[], seen: Set<Node>): void {
  if (seen.has(node)) return;
  seen.add(node);
  const ids = model.logicalIds;
  const missing = (id: string, resourceOnly: boolean) =>
    LOGICAL_ID.test(id) && !ids.resources.has(id) && !(resourceOnly ? false : ids.parameters.has(id)) && !ids.generated(id);
  if (node.kind === 'seq') {
    for (const item of node.items) unresolvedIn(model, item, out, seen);
    return;
  }
  if (node.kind !== 'map') return;
  if (node.pairs.length === 1) {
    const key = String(node.pairs[0]!.key.value);
    const arg = node.pairs[0]!.value;
    if (key === 'Ref') {
      const name = str(arg);
      if (name !== undefined && !name.startsWith('AWS::')) {
        // SAM's `Fn.Alias`, `Api.Stage`: the part before the dot names the resource.
        const id = name.includes('.') ? name.slice(0, name.indexOf('.')) : name;
        if (missing(id, name.includes('.'))) out.push({ messageId: 'ref', id, span: arg });
      }
      return;
    }
    if (key === 'Fn::GetAtt') {
      const first = arg.kind === 'seq' ? str(arg.items[0]) : str(arg)?.split('.')[0];
      const target = arg.kind === 'seq' ? arg.items[0]! : arg;
      if (first !== undefined && missing(first, true)) out.push({ messageId: 'getAtt', id: first, span: target });
      if (arg.kind === 'seq') for (const item of arg.items.slice(1)) unresolvedIn(model, item, out, seen);
      return;
    }
    if (key === 'Fn::Sub') {
      const text = arg.kind === 'seq' ? arg.items[0] : arg;
      const vars = arg.kind === 'seq' ? arg.items[1] : undefined;
      const template = str(text);
      if (template !== undefined && text) {
        const reported = new Set<string>();
        for (const part of subParts(template)) {
          const name = part.name;
          if (name === undefined || name.startsWith('AWS::') || (isMap(vars) && get(vars, name))) continue;
          const id = name.includes('.') ? name.slice(0, name.indexOf('.')) : name;
          if (!reported.has(id) && missing(id, name.includes('.'))) {
            reported.add(id);
            out.push({ messageId: 'sub', id, span: text });
          }
        }
      }
      if (vars) unresolvedIn(model, vars, out, seen);
      return;
    }
  }
  for (const pair of node.pairs) unresolvedIn(model, pair.value, out, seen);
}

function dependsOnUnresolved(model: Model, resource: MapNode): Unresolved[] {
  const list = get(resource, 'DependsOn');
  const items = isSeq(list) ? list.items : list ? [list] : [];
  const out: Unresolved[] = [];
  for (const item of items) {
    const id = str(item);
    if (id !== undefined && LOGICAL_ID.test(id) && !model.logicalIds.resources.has(id) && !model.logicalIds.generated(id)) {
      out.push({ messageId: 'dependsOn', id, span: item });
    }
  }
  return out;
}

export default defineRule({
  id: 'unresolved-reference',
  severity: 'error',
  category: 'platform',
  fixSafety: 'none',
  docs: {
    summary: 'A `Ref`, `Fn::GetAtt`, `Fn::Sub` variable or `DependsOn` names a logical id the template does not define.',
    rationale:
      'CloudFormation resolves every reference before it creates anything: a `Ref` to an id that is neither a resource, a parameter nor a ' +
      'pseudo parameter, or a `Fn::GetAtt` / `DependsOn` naming no resource, fails the whole deployment ("Unresolved resource dependencies ' +
      '[...] in the Resources block of the template", "Template error: instance of Fn::GetAtt references undefined resource"). A typo in a ' +
      'route table or subnet id is the usual cause, and until it is fixed the reference stands for nothing: an endpoint whose ' +
      '`RouteTableIds` name a missing route table serves no route table, and the other rules judge the network that way. Resources that SAM ' +
      'generates (`<Function>Role`, `ServerlessRestApi`, `<Function>Alias<Name>`, ...) and, in a Serverless service, resources the framework ' +
      'or a plugin generates count as defined; so does everything when a macro (`Transform`, `Fn::Transform`, `Fn::ForEach`) may add resources.',
    invalid: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
      VpcEndpointType: Gateway
      RouteTableIds: [!Ref PrivateRoutTable]
`,
    valid: `Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: 10.0.0.0/16 }
  PrivateRouteTable:
    Type: AWS::EC2::RouteTable
    Properties: { VpcId: !Ref Vpc }
  S3Endpoint:
    Type: AWS::EC2::VPCEndpoint
    Properties:
      VpcId: !Ref Vpc
      ServiceName: !Sub com.amazonaws.\${AWS::Region}.s3
      VpcEndpointType: Gateway
      RouteTableIds: [!Ref PrivateRouteTable]
`,
  },
  messages: {
    ref: "'{holder}' refers to '{id}' (Ref), which is not a resource, parameter or pseudo parameter of this template: CloudFormation rejects the template, and the reference stands for nothing here.",
    getAtt: "'{holder}' reads an attribute of '{id}' (Fn::GetAtt), which is not a resource of this template: CloudFormation rejects the template, and the reference stands for nothing here.",
    sub: "'{holder}' substitutes '{id}' (Fn::Sub), which is not a resource, parameter or pseudo parameter of this template: CloudFormation rejects the template.",
    dependsOn: "'{holder}' DependsOn '{id}', which is not a resource of this template: CloudFormation rejects the template.",
  },
  check({ model, report }) {
    const holders: { id: string; found: Unresolved[] }[] = [];
    for (const r of model.resources.values()) {
      // Serverless functions are not CloudFormation resources; resources read from another file have no place in this one.
      if (r.type === 'serverless:function' || !inTemplateText(model, r.node)) continue;
      const found = dependsOnUnresolved(model, r.node);
      // A template inside a template (a StackSet's TemplateBody map) refers to its own resources: it is analysed on its own.
      const body = get(r.properties, 'TemplateBody');
      const seen = new Set<Node>(isMap(body) && !intrinsicName(body) ? [body] : []);
      if (r.properties) unresolvedIn(model, r.properties, found, seen);
      holders.push({ id: r.id, found });
    }
    const outputs = get(model.root, 'Outputs');
    if (isMap(outputs)) {
      for (const pair of outputs.pairs) {
        const found: Unresolved[] = [];
        unresolvedIn(model, pair.value, found, new Set());
        holders.push({ id: String(pair.key.value), found });
      }
    }
    for (const { id, found } of holders) {
      for (const u of found) {
        report({ messageId: u.messageId, data: { holder: id, id: u.id }, resource: id, span: { start: u.span.start, end: u.span.end } });
      }
    }
  },
});
