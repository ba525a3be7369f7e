/**
 * Reading a configuration value as an address: connection strings of databases, caches and brokers,
 * URLs, host names and `host:port`, and whether the host is a public AWS service endpoint. A value that
 * names any other host is a reason for a function to stay in its VPC (a private hosted zone can make any
 * name private), so `vpc-without-private-resources` never advises cutting it off.
 */

/** Schemes of database, cache and broker connection strings; `jdbc:` takes any sub-protocol. */
const CONNECTION_STRING = /^(?:jdbc:[a-z0-9]+:|(?:postgres(?:ql)?|mysql|mariadb|redis|rediss|mongodb(?:\+srv)?|amqps?|sqlserver|mssql|oracle|neo4j(?:\+s)?|bolt|memcached?|nats|mqtt|stomp\+ssl|ssl|tcp):\/\/)/i;

/** Labels of AWS host names that are addresses inside a VPC (databases, caches, brokers, VPC domains). */
const VPC_HOST_LABELS = new Set(['rds', 'cache', 'docdb', 'docdb-elastic', 'neptune', 'redshift', 'redshift-serverless', 'kafka', 'kafka-serverless', 'mq', 'memorydb', 'dax-clusters', 'efs', 'vpce', 'vpc-lattice-svcs']);

/** Public AWS domains: service endpoints, function URLs, CloudFront. */
const AWS_PUBLIC_DOMAIN = /(?:^|\.)(?:amazonaws\.com(?:\.cn)?|api\.aws|on\.aws|amazon\.com|cloudfront\.net|awsapps\.com)$/;

/** A bare host name (two labels or more, the last one alphabetic) with an optional port; or `name:port`. */
const HOST = /^((?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]*[a-z0-9])(?::(\d{1,5}))?$/;
const HOST_PORT = /^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?):(\d{1,5})$/;

/** Last labels that make a dotted value a file, a handler or a class rather than a host. */
const NOT_A_TLD = new Set([
  'json', 'yaml', 'yml', 'txt', 'csv', 'tsv', 'py', 'js', 'mjs', 'cjs', 'ts', 'java', 'jar', 'zip', 'gz', 'tar', 'html', 'htm',
  'xml', 'sh', 'log', 'md', 'pem', 'crt', 'cer', 'key', 'conf', 'cfg', 'ini', 'properties', 'handler', 'lambda_handler', 'main',
  'tmp', 'env', 'sql', 'parquet', 'avro', 'png', 'jpg', 'jpeg', 'svg', 'pdf', 'rb', 'go', 'rs', 'php', 'lock', 'toml', 'template',
]);

/** The host a URL, connection string, host name or `host:port` names (lower case), if the value is one. */
export function hostOf(value: string): string | undefined {
  const text = value.trim();
  const url = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/\s]*@)?(\[[^\]]*\]|[^:/?#\s]+)/i.exec(text);
  if (url) return url[1]!.toLowerCase();
  if (/\s/.test(text) || text !== text.toLowerCase()) return undefined;
  const host = HOST.exec(text);
  if (host) {
    const labels = host[1]!.split('.');
    return NOT_A_TLD.has(labels[labels.length - 1]!) ? undefined : host[1];
  }
  return HOST_PORT.exec(text)?.[1];
}

/** Whether the host is a public AWS service endpoint (not a database, cache or broker address under an AWS domain). */
export function isAwsPublicHost(host: string): boolean {
  if (!AWS_PUBLIC_DOMAIN.test(host)) return false;
  const labels = host.split('.');
  // OpenSearch and Elasticsearch domains inside a VPC are named `vpc-<domain>-<id>`.
  return !labels.some((l) => VPC_HOST_LABELS.has(l)) && !labels[0]!.startsWith('vpc-');
}

/** Why the value is a reason to stay in a VPC (`a connection string`, `the host db.example.com`), or undefined. */
export function privateAddressReason(value: string): string | undefined {
  // Broker and cache clients take comma-separated lists (`b-1.example:9094,b-2.example:9094`).
  if (value.includes(',')) {
    for (const part of value.split(',')) {
      const reason = part.trim() ? privateAddressReason(part) : undefined;
      if (reason) return reason;
    }
    return undefined;
  }
  if (CONNECTION_STRING.test(value.trim())) return 'a connection string';
  const host = hostOf(value);
  if (!host || host === 'localhost' || host.startsWith('127.') || host.includes('\u0000')) return undefined;
  if (isAwsPublicHost(host)) return undefined;
  return `the host ${host}`;
}
