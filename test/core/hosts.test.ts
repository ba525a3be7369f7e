import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostOf, isAwsPublicHost, privateAddressReason } from '../../server/src/core/model/hosts';

describe('hosts', () => {
  it('reads the host of URLs, connection strings, host names and host:port', () => {
    assert.equal(hostOf('https://user:pw@API.example.com:8443/v1?q=1'), 'api.example.com');
    assert.equal(hostOf('mongodb+srv://cluster0.abc.mongodb.net/db'), 'cluster0.abc.mongodb.net');
    assert.equal(hostOf('db.internal.example.com'), 'db.internal.example.com');
    assert.equal(hostOf('db.example.com:5432'), 'db.example.com');
    assert.equal(hostOf('redis:6379'), 'redis');
    assert.equal(hostOf('config.json'), undefined);
    assert.equal(hostOf('index.handler'), undefined);
    assert.equal(hostOf('com.example.Handler'), undefined);
    assert.equal(hostOf('1.2.3'), undefined);
    assert.equal(hostOf('two words.example.com'), undefined);
  });

  it('tells public AWS endpoints from AWS hosts inside a VPC', () => {
    assert.ok(isAwsPublicHost('sqs.us-east-1.amazonaws.com'));
    assert.ok(isAwsPublicHost('abc123.lambda-url.us-east-1.on.aws'));
    assert.ok(!isAwsPublicHost('mydb.c9akciq32.us-east-1.rds.amazonaws.com'));
    assert.ok(!isAwsPublicHost('master.sessions.abc123.use1.cache.amazonaws.com'));
    assert.ok(!isAwsPublicHost('vpc-logs-abc123.us-east-1.es.amazonaws.com'));
    assert.ok(!isAwsPublicHost('api.example.com'));
  });

  it('names why a value keeps a function in its VPC', () => {
    assert.equal(privateAddressReason('amqps://b-1234.mq.us-east-1.amazonaws.com:5671'), 'a connection string');
    assert.equal(privateAddressReason('jdbc:postgresql://db:5432/app'), 'a connection string');
    assert.equal(privateAddressReason('https://api.example.com'), 'the host api.example.com');
    assert.equal(privateAddressReason('https://dynamodb.us-east-1.amazonaws.com'), undefined);
    assert.equal(privateAddressReason('http://localhost:8080'), undefined);
    assert.equal(privateAddressReason('a.amazonaws.com:443,b.example.com:9092'), 'the host b.example.com');
    assert.equal(privateAddressReason('INFO'), undefined);
  });
});
