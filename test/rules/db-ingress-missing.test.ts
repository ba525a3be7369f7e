import rule from '../../server/src/core/rules/db-ingress-missing';
import { ruleTester } from '../support/rule-tester';

/** A function that reads the database's address, with `FnSg`, and the database guarded by `DbSg`. */
const template = (dbSg: string, opts: { db?: string; before?: string; after?: string; env?: string; groups?: string } = {}) => `${opts.before ?? ''}Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Environment:
        Variables:
          ${opts.env ?? 'DB_HOST: !GetAtt Db.Endpoint.Address'}
      VpcConfig:
        SubnetIds: [!Ref SubnetA]
        SecurityGroupIds: ${opts.groups ?? '[!GetAtt FnSg.GroupId]'}
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties: { VpcId: vpc-1, CidrBlock: 10.0.1.0/24 }
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: fn, VpcId: vpc-1 }
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      VpcId: vpc-1
${dbSg}  Db:
    Type: AWS::RDS::DBInstance
    Properties:
      ${opts.db ?? 'Engine: postgres'}
      VPCSecurityGroups: [!GetAtt DbSg.GroupId]
${opts.after ?? ''}`;

const ingress = (rule: string) => `      SecurityGroupIngress:\n        - ${rule}\n`;

const addedIngress = (port: number, source = 'FnSg', id = `DbSgFrom${source}`) => `  ${id}:
    Type: AWS::EC2::SecurityGroupIngress
    Properties:
      GroupId: !GetAtt DbSg.GroupId
      IpProtocol: tcp
      FromPort: ${port}
      ToPort: ${port}
      SourceSecurityGroupId: !GetAtt ${source}.GroupId
      Description: Database access from ${source}
`;

ruleTester(rule, {
  valid: [
    { name: 'the database group admits the function group', code: template(ingress('{ IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !GetAtt FnSg.GroupId }')) },
    { name: 'a standalone ingress rule admits it', code: template('', {
      after: '  DbIngress:\n    Type: AWS::EC2::SecurityGroupIngress\n    Properties: { GroupId: !Ref DbSg, IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref FnSg }\n',
    }) },
    { name: 'a CIDR covering the function subnet', code: template(ingress('{ IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.0.0.0/16 }')) },
    { name: 'all protocols from the function group', code: template(ingress('{ IpProtocol: "-1", SourceSecurityGroupId: !Ref FnSg }')) },
    { name: 'the function does not use the database', code: template('', { env: 'MODE: batch' }) },
    { name: 'an ARN is for the Data API, not a connection', code: template('', { env: 'CLUSTER_ARN: !GetAtt Db.DBArn' }) },
    { name: 'a port from a parameter without default is unknown', code: template('', { db: 'Engine: postgres\n      Port: !Ref DbPort', before: 'Parameters:\n  DbPort: { Type: Number }\n' }) },
    { name: 'a hard-coded database group may admit anything', code: template('').replace('VPCSecurityGroups: [!GetAtt DbSg.GroupId]', 'VPCSecurityGroups: [sg-0123456789abcdef0]') },
    { name: 'an imported source group may be the hard-coded function group', code: template(ingress('{ IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !ImportValue ClientSg }'), { groups: '[sg-0123456789abcdef0]' }) },
    { name: 'through an RDS proxy: the database admits the proxy, the proxy the function', code: `Resources:
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Environment:
        Variables: { PROXY_HOST: !GetAtt Proxy.Endpoint, SECRET: !Ref Secret }
      VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [!Ref FnSg] }
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: fn, VpcId: vpc-1 }
  ProxySg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: proxy
      VpcId: vpc-1
      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref FnSg }]
  DbSg:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: db
      VpcId: vpc-1
      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref ProxySg }]
  Secret:
    Type: AWS::SecretsManager::Secret
  SecretAttachment:
    Type: AWS::SecretsManager::SecretTargetAttachment
    Properties: { SecretId: !Ref Secret, TargetId: !Ref Cluster, TargetType: AWS::RDS::DBCluster }
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties: { Engine: aurora-postgresql, VpcSecurityGroupIds: [!Ref DbSg] }
  Proxy:
    Type: AWS::RDS::DBProxy
    Properties: { EngineFamily: POSTGRESQL, VpcSecurityGroupIds: [!Ref ProxySg], VpcSubnetIds: [subnet-1] }
` },
    { name: 'Serverless: the provider group is admitted', code: `service: s
provider:
  name: aws
  vpc:
    subnetIds: [subnet-1, subnet-2]
    securityGroupIds: [!Ref FnSg]
functions:
  api:
    handler: h.main
    environment:
      REDIS: !GetAtt Cache.RedisEndpoint.Address
resources:
  Resources:
    FnSg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: fn, VpcId: vpc-1 }
    CacheSg:
      Type: AWS::EC2::SecurityGroup
      Properties:
        GroupDescription: cache
        VpcId: vpc-1
        SecurityGroupIngress:
          - { IpProtocol: tcp, FromPort: 6379, ToPort: 6379, SourceSecurityGroupId: !Ref FnSg }
    Cache:
      Type: AWS::ElastiCache::CacheCluster
      Properties: { Engine: redis, CacheNodeType: cache.t4g.micro, NumCacheNodes: 1, VpcSecurityGroupIds: [!Ref CacheSg] }
` },
  ],
  invalid: [
    {
      name: 'no ingress at all: fix adds a SecurityGroupIngress resource',
      code: template(''),
      errors: [{ messageId: 'noIngress', resource: 'Db', path: ['Resources', 'Db', 'Properties', 'VPCSecurityGroups'], severity: 'error', message: 'tcp/5432' }],
      output: template('', { after: addedIngress(5432) }),
      safety: 'unsafe',
    },
    {
      name: 'the rule admits the wrong port (MySQL default 3306 for aurora-mysql)',
      code: template(ingress('{ IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref FnSg }'), { db: 'Engine: aurora-mysql' }),
      errors: [{ messageId: 'noIngress', resource: 'Db', message: 'tcp/3306' }],
    },
    {
      name: 'a CIDR that misses the function subnet',
      code: template(ingress('{ IpProtocol: tcp, FromPort: 5432, ToPort: 5432, CidrIp: 10.1.0.0/16 }')),
      errors: [{ messageId: 'noIngress', resource: 'Db' }],
    },
    {
      name: 'the port rests on a parameter default: warning',
      code: template('', { db: 'Engine: postgres\n      Port: !Ref DbPort', before: 'Parameters:\n  DbPort: { Type: Number, Default: 5433 }\n' }),
      errors: [{ messageId: 'noIngress', resource: 'Db', severity: 'warning', message: "parameter 'DbPort'" }],
    },
    {
      name: 'under Fn::If: the branch with another group',
      code: template(ingress('{ IpProtocol: tcp, FromPort: 5432, ToPort: 5432, SourceSecurityGroupId: !Ref FnSg }'), {
        before: 'Conditions:\n  Isolated: !Equals [!Ref AWS::Region, eu-west-1]\n',
        groups: '!If [Isolated, [!Ref OtherSg], [!Ref FnSg]]',
        after: '  OtherSg:\n    Type: AWS::EC2::SecurityGroup\n    Properties: { GroupDescription: other, VpcId: vpc-1 }\n',
      }),
      errors: [{ messageId: 'noIngress', resource: 'Db', message: "condition 'Isolated' is true" }],
    },
    {
      name: 'two functions: one finding, one rule for each group',
      code: template('', {
        after: `  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Environment: { Variables: { DB: !Ref Db } }
      VpcConfig: { SubnetIds: [!Ref SubnetA], SecurityGroupIds: [!Ref WorkerSg] }
  WorkerSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: worker, VpcId: vpc-1 }
`,
      }),
      errors: [{ messageId: 'noIngress', resource: 'Db', message: "functions 'Fn' and 'Worker'" }],
      output: template('', {
        after: `  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Role: arn:aws:iam::123456789012:role/r
      Environment: { Variables: { DB: !Ref Db } }
      VpcConfig: { SubnetIds: [!Ref SubnetA], SecurityGroupIds: [!Ref WorkerSg] }
  WorkerSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: worker, VpcId: vpc-1 }
${addedIngress(5432)}${addedIngress(5432, 'WorkerSg')}`,
      }),
    },
    {
      name: 'SAM: EFS mount target in the function group, which has no rule for itself',
      code: `Transform: AWS::Serverless-2016-10-31
Resources:
  Fs:
    Type: AWS::EFS::FileSystem
  MountTarget:
    Type: AWS::EFS::MountTarget
    Properties: { FileSystemId: !Ref Fs, SubnetId: subnet-1, SecurityGroups: [!GetAtt FnSg.GroupId] }
  AccessPoint:
    Type: AWS::EFS::AccessPoint
    Properties: { FileSystemId: !Ref Fs }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Handler: a.b
      VpcConfig: { SubnetIds: [subnet-1], SecurityGroupIds: [!GetAtt FnSg.GroupId] }
      FileSystemConfigs:
        - { Arn: !GetAtt AccessPoint.Arn, LocalMountPath: /mnt/efs }
  FnSg:
    Type: AWS::EC2::SecurityGroup
    Properties: { GroupDescription: fn, VpcId: vpc-1 }
`,
      errors: [{ messageId: 'noMountIngress', resource: 'Fs', path: ['Resources', 'Fs'], message: 'tcp/2049' }],
    },
    {
      name: 'Serverless: resources given as a list leave no place for the fix',
      code: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc: { subnetIds: [subnet-1], securityGroupIds: [!Ref FnSg] }
    environment:
      DB: !Ref Db
resources:
  - Resources:
      FnSg:
        Type: AWS::EC2::SecurityGroup
        Properties: { GroupDescription: fn, VpcId: vpc-1 }
      DbSg:
        Type: AWS::EC2::SecurityGroup
        Properties: { GroupDescription: db, VpcId: vpc-1 }
      Db:
        Type: AWS::RDS::DBCluster
        Properties: { Engine: aurora-postgresql, VpcSecurityGroupIds: [!Ref DbSg] }
`,
      errors: [{ messageId: 'noIngress', resource: 'Db', message: 'tcp/5432' }],
      output: null,
    },
    {
      name: 'Serverless: the fix goes under resources.Resources',
      code: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc:
      subnetIds: [subnet-1]
      securityGroupIds: [!Ref FnSg]
    environment:
      REDIS: !GetAtt Cache.RedisEndpoint.Address
resources:
  Resources:
    FnSg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: fn, VpcId: vpc-1 }
    CacheSg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: cache, VpcId: vpc-1 }
    Cache:
      Type: AWS::ElastiCache::CacheCluster
      Properties: { Engine: redis, CacheNodeType: cache.t4g.micro, NumCacheNodes: 1, VpcSecurityGroupIds: [!Ref CacheSg] }
`,
      errors: [{ messageId: 'noIngress', resource: 'Cache', message: "cache 'Cache' (CacheSg) admits tcp/6379 from function 'api'" }],
      output: `service: s
provider:
  name: aws
functions:
  api:
    handler: h.main
    vpc:
      subnetIds: [subnet-1]
      securityGroupIds: [!Ref FnSg]
    environment:
      REDIS: !GetAtt Cache.RedisEndpoint.Address
resources:
  Resources:
    FnSg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: fn, VpcId: vpc-1 }
    CacheSg:
      Type: AWS::EC2::SecurityGroup
      Properties: { GroupDescription: cache, VpcId: vpc-1 }
    Cache:
      Type: AWS::ElastiCache::CacheCluster
      Properties: { Engine: redis, CacheNodeType: cache.t4g.micro, NumCacheNodes: 1, VpcSecurityGroupIds: [!Ref CacheSg] }
    CacheSgFromFnSg:
      Type: AWS::EC2::SecurityGroupIngress
      Properties:
        GroupId: !GetAtt CacheSg.GroupId
        IpProtocol: tcp
        FromPort: 6379
        ToPort: 6379
        SourceSecurityGroupId: !GetAtt FnSg.GroupId
        Description: Database access from FnSg
`,
    },
  ],
});
