/**
 * Links into the AWS console for the explorer's "Open in AWS console" command. The console host depends on
 * the partition (China and GovCloud have their own), and ids go through encodeURIComponent because they come
 * from an API response and end up in a URL handed to the browser.
 */

export type ConsoleTarget =
  | { kind: 'region' }
  | { kind: 'vpc'; id: string }
  | { kind: 'subnet'; id: string }
  | { kind: 'function'; name: string }
  | { kind: 'interface'; id: string };

export function consoleHost(region: string): string {
  const r = encodeURIComponent(region);
  if (region.startsWith('cn-')) return `https://${r}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `https://${r}.console.amazonaws-us-gov.com`;
  return `https://${r}.console.aws.amazon.com`;
}

export function consoleUrl(region: string, target: ConsoleTarget): string {
  const host = consoleHost(region);
  const q = `region=${encodeURIComponent(region)}`;
  switch (target.kind) {
    case 'region':
      return `${host}/ec2/home?${q}#NIC:`;
    case 'vpc':
      return `${host}/vpcconsole/home?${q}#VpcDetails:VpcId=${encodeURIComponent(target.id)}`;
    case 'subnet':
      return `${host}/vpcconsole/home?${q}#SubnetDetails:subnetId=${encodeURIComponent(target.id)}`;
    case 'function':
      return `${host}/lambda/home?${q}#/functions/${encodeURIComponent(target.name)}`;
    case 'interface':
      return `${host}/ec2/home?${q}#NetworkInterface:networkInterfaceId=${encodeURIComponent(target.id)}`;
  }
}
