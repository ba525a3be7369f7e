/**
 * AWS service facts the needs inference and the endpoint rules share: which IAM action prefix maps to
 * which VPC endpoint service, which services have gateway endpoints or none at all, which actions make
 * no network call from the function, and what SAM policy templates allow (AWS managed policies: managed-policies.ts).
 */

/** IAM action prefix -> endpoint service name (the part after `com.amazonaws.<region>.`). */
const ENDPOINT_NAME: Record<string, string> = {
  cloudwatch: 'monitoring',
  kinesis: 'kinesis-streams',
  firehose: 'kinesis-firehose',
  ecr: 'ecr.api',
  ses: 'email',
  'execute-api': 'execute-api',
  bedrock: 'bedrock-runtime',
};

/** Services with no VPC endpoint: reachable only through egress. */
export const NO_ENDPOINT = new Set(['iam', 'route53', 'cloudfront', 'organizations', 'support', 'budgets', 'ce', 'health', 'shield', 'waf', 'globalaccelerator']);
export const GATEWAY_SERVICES = new Set(['s3', 'dynamodb']);

export interface EndpointService {
  /** The IAM prefix (`sqs`). */
  prefix: string;
  /** The endpoint service name (`kinesis-streams`), undefined when there is no endpoint. */
  endpoint: string | undefined;
  gateway: boolean;
}

export function endpointServiceOf(prefix: string): EndpointService {
  if (NO_ENDPOINT.has(prefix)) return { prefix, endpoint: undefined, gateway: false };
  return { prefix, endpoint: ENDPOINT_NAME[prefix] ?? prefix, gateway: GATEWAY_SERVICES.has(prefix) };
}

/** Whether an endpoint's service name serves the IAM prefix (`ecr.dkr` and `ecr.api` both serve `ecr`). */
export function endpointServes(endpointService: string, prefix: string): boolean {
  const wanted = endpointServiceOf(prefix).endpoint;
  if (!wanted) return false;
  if (endpointService === wanted) return true;
  // A service split over several endpoints (`sagemaker.api`, `sagemaker.runtime`) is served by each.
  if (endpointService.startsWith(`${wanted}.`)) return true;
  if (prefix === 'ecr') return endpointService === 'ecr.api' || endpointService === 'ecr.dkr';
  if (prefix === 's3') return endpointService === 's3' || endpointService === 's3express';
  if (prefix === 'execute-api') return endpointService === 'execute-api';
  return false;
}

/** Services whose resources (databases, caches, brokers, file systems, search domains) live in a VPC. */
export const VPC_BOUND_SERVICES = new Set(['rds', 'rds-db', 'elasticache', 'memorydb', 'kafka', 'kafka-cluster', 'dax', 'neptune-db', 'elasticfilesystem', 'es', 'redshift']);

/** The managed policy `AWSLambdaVPCAccessExecutionRole`'s actions. */
export const VPC_ACCESS_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/** An IAM action pattern (`ec2:Create*`) as a regular expression matching the whole action. */
export function wildcardRegExp(pattern: string, flags = ''): RegExp {
  return new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`, flags);
}

/** Actions (lower case, `*` wildcards) that do not make the function need a service. */
const NOT_NEEDS = [
  ...VPC_ACCESS_ACTIONS.map((a) => a.toLowerCase()),
  'ec2:*', 'ec2:describe*', 'ec2:*networkinterface*', 'ec2:*networkinterfaces',
  'logs:*', 'xray:*', 'rds-db:connect', 'elasticfilesystem:client*', 's3files:client*', 'iam:passrole',
  'sqs:receivemessage', 'sqs:deletemessage', 'sqs:getqueueattributes', 'sqs:changemessagevisibility',
  'kinesis:get*', 'kinesis:describe*', 'kinesis:list*', 'kinesis:subscribetoshard',
  'dynamodb:getrecords', 'dynamodb:getsharditerator', 'dynamodb:describestream', 'dynamodb:liststreams',
  'kafka:describe*', 'kafka:getbootstrapbrokers', 'kafka:list*', 'kafka-cluster:*',
];

// Exact actions are a set lookup; only the wildcard patterns are regular expressions.
const NOT_NEEDS_EXACT = new Set(NOT_NEEDS.filter((p) => !p.includes('*')));
const NOT_NEEDS_RE = NOT_NEEDS.filter((p) => p.includes('*')).map((p) => wildcardRegExp(p));

/** Whether the action is one the function's own code calls over the network. */
export function actionIsNeed(action: string): boolean {
  const a = action.toLowerCase();
  if (!a.includes(':')) return false;
  return !NOT_NEEDS_EXACT.has(a) && !NOT_NEEDS_RE.some((re) => re.test(a));
}

export function prefixOf(action: string): string | undefined {
  const i = action.indexOf(':');
  return i > 0 ? action.slice(0, i).toLowerCase() : undefined;
}

/** SAM policy templates: name -> actions (those that matter for networking). */
export const SAM_POLICY_TEMPLATES: Record<string, string[]> = {
  DynamoDBCrudPolicy: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:Query', 'dynamodb:Scan'],
  DynamoDBReadPolicy: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:Scan'],
  DynamoDBWritePolicy: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
  DynamoDBReconfigurePolicy: ['dynamodb:UpdateTable'],
  DynamoDBBackupFullAccessPolicy: ['dynamodb:CreateBackup'],
  DynamoDBRestoreFromBackupPolicy: ['dynamodb:RestoreTableFromBackup'],
  DynamoDBStreamReadPolicy: ['dynamodb:GetRecords', 'dynamodb:GetShardIterator', 'dynamodb:DescribeStream', 'dynamodb:ListStreams'],
  S3ReadPolicy: ['s3:GetObject', 's3:ListBucket'],
  S3WritePolicy: ['s3:PutObject'],
  S3CrudPolicy: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'],
  S3FullAccessPolicy: ['s3:*'],
  SQSSendMessagePolicy: ['sqs:SendMessage'],
  SQSPollerPolicy: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes', 'sqs:ChangeMessageVisibility'],
  SNSPublishMessagePolicy: ['sns:Publish'],
  SNSCrudPolicy: ['sns:Publish', 'sns:CreateTopic'],
  LambdaInvokePolicy: ['lambda:InvokeFunction'],
  KinesisCrudPolicy: ['kinesis:PutRecord', 'kinesis:PutRecords'],
  KinesisStreamReadPolicy: ['kinesis:GetRecords', 'kinesis:GetShardIterator', 'kinesis:DescribeStream', 'kinesis:ListStreams'],
  FirehoseWritePolicy: ['firehose:PutRecord', 'firehose:PutRecordBatch'],
  FirehoseCrudPolicy: ['firehose:PutRecord'],
  SSMParameterReadPolicy: ['ssm:GetParameter', 'ssm:GetParameters'],
  SSMParameterWithSlashPrefixReadPolicy: ['ssm:GetParameter', 'ssm:GetParameters'],
  AWSSecretsManagerGetSecretValuePolicy: ['secretsmanager:GetSecretValue'],
  AWSSecretsManagerRotationPolicy: ['secretsmanager:GetSecretValue', 'secretsmanager:PutSecretValue'],
  KMSDecryptPolicy: ['kms:Decrypt'],
  KMSEncryptPolicy: ['kms:Encrypt'],
  StepFunctionsExecutionPolicy: ['states:StartExecution'],
  EventBridgePutEventsPolicy: ['events:PutEvents'],
  CloudWatchPutMetricPolicy: ['cloudwatch:PutMetricData'],
  CloudWatchDescribeAlarmHistoryPolicy: ['cloudwatch:DescribeAlarmHistory'],
  AthenaQueryPolicy: ['athena:StartQueryExecution', 'glue:GetTable'],
  TextractPolicy: ['textract:*'],
  TextractDetectAnalyzePolicy: ['textract:DetectDocumentText'],
  RekognitionDetectOnlyPolicy: ['rekognition:DetectLabels'],
  RekognitionLabelsPolicy: ['rekognition:DetectLabels'],
  ComprehendBasicAccessPolicy: ['comprehend:DetectSentiment'],
  SESCrudPolicy: ['ses:SendEmail'],
  SESSendBouncePolicy: ['ses:SendBounce'],
  SESBulkTemplatedCrudPolicy: ['ses:SendBulkTemplatedEmail'],
  SESEmailTemplateCrudPolicy: ['ses:CreateTemplate'],
  ElasticsearchHttpPostPolicy: ['es:ESHttpPost'],
  EFSWriteAccessPolicy: ['elasticfilesystem:ClientMount', 'elasticfilesystem:ClientWrite'],
  VPCAccessPolicy: ['ec2:CreateNetworkInterface', 'ec2:DeleteNetworkInterface', 'ec2:DescribeNetworkInterfaces', 'ec2:DetachNetworkInterface'],
  AMIDescribePolicy: ['ec2:DescribeImages'],
  EC2DescribePolicy: ['ec2:DescribeRegions', 'ec2:DescribeInstances'],
  CodePipelineLambdaExecutionPolicy: ['codepipeline:PutJobSuccessResult'],
  CodeCommitCrudPolicy: ['codecommit:GitPull'],
  CodeCommitReadPolicy: ['codecommit:GitPull'],
  Route53ChangeResourceRecordSetsPolicy: ['route53:ChangeResourceRecordSets'],
  CostExplorerReadOnlyPolicy: ['ce:GetCostAndUsage'],
  OrganizationsListAccountsPolicy: ['organizations:ListAccounts'],
  AWSSecretsManagerCreateSecretPolicy: ['secretsmanager:CreateSecret'],
  EcsRunTaskPolicy: ['ecs:RunTask'],
  FilterLogEventsPolicy: ['logs:FilterLogEvents'],
  PinpointEndpointAccessPolicy: ['mobiletargeting:GetEndpoint'],
  SageMakerCreateEndpointPolicy: ['sagemaker:CreateEndpoint'],
  ServerlessRepoReadWriteAccessPolicy: ['serverlessrepo:CreateApplication'],
  AcmGetCertificatePolicy: ['acm:GetCertificate'],
  DynamoDBStreamReadPolicyV2: ['dynamodb:GetRecords'],
  MobileAnalyticsWriteOnlyAccessPolicy: ['mobileanalytics:PutEvents'],
  PollyFullAccessPolicy: ['polly:*'],
  CloudFormationDescribeStacksPolicy: ['cloudformation:DescribeStacks'],
};

/** The policy name of a managed policy ARN (`arn:aws:iam::aws:policy/service-role/X` -> `X`). */
export function managedPolicyName(arn: string): string | undefined {
  const m = /:iam::aws:policy\/(?:.*\/)?([^/]+)$/.exec(arn);
  if (m) return m[1];
  return /^[A-Za-z0-9+=,.@_-]+$/.test(arn) ? arn : undefined;
}

/** Environment-visible resource types -> the service the function calls for them. */
export const RESOURCE_SERVICE: Record<string, string> = {
  'AWS::SQS::Queue': 'sqs',
  'AWS::SNS::Topic': 'sns',
  'AWS::DynamoDB::Table': 'dynamodb',
  'AWS::DynamoDB::GlobalTable': 'dynamodb',
  'AWS::Serverless::SimpleTable': 'dynamodb',
  'AWS::S3::Bucket': 's3',
  'AWS::SecretsManager::Secret': 'secretsmanager',
  'AWS::SSM::Parameter': 'ssm',
  'AWS::KMS::Key': 'kms',
  'AWS::KMS::Alias': 'kms',
  'AWS::Kinesis::Stream': 'kinesis',
  'AWS::KinesisFirehose::DeliveryStream': 'firehose',
  'AWS::StepFunctions::StateMachine': 'states',
  'AWS::Serverless::StateMachine': 'states',
  'AWS::Events::EventBus': 'events',
  'AWS::Lambda::Function': 'lambda',
  'AWS::Serverless::Function': 'lambda',
  'AWS::ApiGateway::RestApi': 'execute-api',
  'AWS::Serverless::Api': 'execute-api',
  'AWS::Cognito::UserPool': 'cognito-idp',
  'AWS::AppSync::GraphQLApi': 'appsync-api',
};
