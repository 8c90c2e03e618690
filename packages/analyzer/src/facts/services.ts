import type { Evidence, ServiceKind } from '@scia/api';
import { ev, type Ctx } from '../context.js';
import type { Dep } from '../detectors/types.js';
import type { ComposeFacts } from './compose.js';

/**
 * SERVICE_DEPENDENCIES maps each backing service to the client libraries that
 * reveal it, across ecosystems. A name ending in `*` matches as a prefix.
 */
export const SERVICE_DEPENDENCIES: Record<ServiceKind, readonly string[]> = {
  postgresql: ['pg', 'postgres', 'pg-promise', 'psycopg2', 'psycopg2-binary', 'psycopg', 'asyncpg', 'github.com/lib/pq', 'github.com/jackc/pgx/*', 'org.postgresql:postgresql', 'npgsql', 'Npgsql', 'Npgsql.EntityFrameworkCore.PostgreSQL', 'postgrex', 'tokio-postgres', 'sqlx-postgres', 'dj-database-url'],
  mysql: ['mysql', 'mysql2', 'mysqlclient', 'pymysql', 'aiomysql', 'github.com/go-sql-driver/mysql', 'mysql:mysql-connector-java', 'com.mysql:mysql-connector-j', 'MySql.Data', 'MySqlConnector', 'myxql', 'mysql_async'],
  redis: ['redis', 'ioredis', 'aioredis', 'github.com/redis/go-redis/*', 'github.com/go-redis/redis/*', 'github.com/gomodule/redigo', 'redis.clients:jedis', 'io.lettuce:lettuce-core', 'org.springframework.boot:spring-boot-starter-data-redis', 'StackExchange.Redis', 'redix', 'predis/predis', 'bull', 'bullmq', 'rq', 'django-redis', 'sidekiq', 'redis-rb'],
  mongodb: ['mongodb', 'mongoose', 'pymongo', 'motor', 'mongoengine', 'go.mongodb.org/mongo-driver', 'go.mongodb.org/mongo-driver/v2', 'mongoid', 'mongo', 'MongoDB.Driver', 'org.springframework.boot:spring-boot-starter-data-mongodb', 'org.mongodb:*', 'mongodb/mongodb'],
  rabbitmq: ['amqplib', 'amqp-connection-manager', 'pika', 'aio-pika', 'kombu', 'github.com/streadway/amqp', 'github.com/rabbitmq/amqp091-go', 'bunny', 'org.springframework.boot:spring-boot-starter-amqp', 'RabbitMQ.Client', 'php-amqplib/php-amqplib', 'lapin', 'amqp'],
  kafka: ['kafkajs', 'kafka-python', 'confluent-kafka', 'aiokafka', 'github.com/segmentio/kafka-go', 'github.com/Shopify/sarama', 'github.com/IBM/sarama', 'github.com/confluentinc/confluent-kafka-go/*', 'org.springframework.kafka:spring-kafka', 'org.apache.kafka:kafka-clients', 'rdkafka', 'ruby-kafka', 'Confluent.Kafka', 'kaffe', 'brod'],
  s3: ['@aws-sdk/client-s3', 'multer-s3', 'django-storages', 'github.com/aws/aws-sdk-go-v2/service/s3', 'software.amazon.awssdk:s3', 'aws-sdk-s3', 'AWSSDK.S3', 'minio', 'github.com/minio/minio-go/v7', 'league/flysystem-aws-s3-v3', 'ex_aws_s3', 's3fs'],
  elasticsearch: ['@elastic/elasticsearch', 'elasticsearch', 'elasticsearch-dsl', 'github.com/elastic/go-elasticsearch/*', 'github.com/olivere/elastic/*', 'co.elastic.clients:elasticsearch-java', 'NEST', 'Elastic.Clients.Elasticsearch', 'elasticsearch-ruby', 'opensearch-py', '@opensearch-project/opensearch'],
  memcached: ['memcached', 'memjs', 'pymemcache', 'python-memcached', 'pylibmc', 'dalli', 'github.com/bradfitz/gomemcache'],
  sqlite: ['sqlite3', 'better-sqlite3', 'github.com/mattn/go-sqlite3', 'modernc.org/sqlite', 'rusqlite', 'org.xerial:sqlite-jdbc', 'Microsoft.Data.Sqlite', 'exqlite', 'aiosqlite'],
  dynamodb: ['@aws-sdk/client-dynamodb', '@aws-sdk/lib-dynamodb', 'dynamoose', 'pynamodb', 'github.com/aws/aws-sdk-go-v2/service/dynamodb', 'software.amazon.awssdk:dynamodb', 'AWSSDK.DynamoDBv2', 'aws-sdk-dynamodb'],
  sqs: ['@aws-sdk/client-sqs', 'sqs-consumer', 'github.com/aws/aws-sdk-go-v2/service/sqs', 'software.amazon.awssdk:sqs', 'AWSSDK.SQS', 'aws-sdk-sqs'],
  sns: ['@aws-sdk/client-sns', 'github.com/aws/aws-sdk-go-v2/service/sns', 'software.amazon.awssdk:sns', 'AWSSDK.SimpleNotificationService', 'aws-sdk-sns'],
};

/** ENV_PATTERNS map variable names and URL schemes of an env example to services. */
const ENV_PATTERNS: [RegExp, ServiceKind][] = [
  [/^(POSTGRES|PG(HOST|USER|DATABASE|PASSWORD|PORT))|=\s*['"]?postgres(ql)?(\+\w+)?:\/\//i, 'postgresql'],
  [/^MYSQL|=\s*['"]?mysql(\+\w+)?:\/\//i, 'mysql'],
  [/^REDIS|=\s*['"]?rediss?:\/\//i, 'redis'],
  [/^MONGO|=\s*['"]?mongodb(\+srv)?:\/\//i, 'mongodb'],
  [/^(RABBITMQ|AMQP)|=\s*['"]?amqps?:\/\//i, 'rabbitmq'],
  [/^KAFKA/i, 'kafka'],
  [/^(AWS_)?S3_|_S3_BUCKET|^AWS_STORAGE_BUCKET/i, 's3'],
  [/^(ELASTICSEARCH|ELASTIC_|OPENSEARCH)/i, 'elasticsearch'],
  [/^MEMCACHE/i, 'memcached'],
  [/^DYNAMO/i, 'dynamodb'],
  [/^SQS_|_QUEUE_URL=\s*['"]?https:\/\/sqs/i, 'sqs'],
  [/^SNS_/i, 'sns'],
  [/=\s*['"]?sqlite:/i, 'sqlite'],
];

/** COMPOSE_IMAGES map the image of a compose service to the service it provides. */
const COMPOSE_IMAGES: [RegExp, ServiceKind][] = [
  [/(^|\/)(postgres|postgis|pgvector)/, 'postgresql'],
  [/(^|\/)(mysql|mariadb)/, 'mysql'],
  [/(^|\/)(redis|valkey)/, 'redis'],
  [/(^|\/)mongo/, 'mongodb'],
  [/(^|\/)rabbitmq/, 'rabbitmq'],
  [/(^|\/)(kafka|cp-kafka|redpanda)/, 'kafka'],
  [/(^|\/)minio/, 's3'],
  [/(^|\/)(elasticsearch|opensearch)/, 'elasticsearch'],
  [/(^|\/)memcached/, 'memcached'],
  [/(^|\/)dynamodb-local/, 'dynamodb'],
];

/** ServiceFinding is a needed service and its evidence. */
export type ServiceFinding = { kind: ServiceKind; evidence: Evidence[] };

/** inferServices finds the services an app needs from its dependencies, env examples and compose file. */
export async function inferServices(ctx: Ctx, deps: readonly Dep[], compose: ComposeFacts | undefined): Promise<ServiceFinding[]> {
  const found = new Map<ServiceKind, Evidence[]>();
  const add = (kind: ServiceKind, e: Evidence): void => {
    const list = found.get(kind) ?? [];
    if (list.length < 3) list.push(e);
    found.set(kind, list);
  };
  for (const dep of deps) {
    for (const [kind, names] of Object.entries(SERVICE_DEPENDENCIES) as [ServiceKind, readonly string[]][]) {
      if (names.some((n) => matchesName(n, dep.name))) add(kind, ev(dep.manifest, dep.line, `dependency ${dep.name}`));
    }
  }
  for (const file of ctx.glob(/^\.env\.(example|sample|template|dist|defaults)$|^example\.env$/)) {
    const text = (await ctx.text(file)) ?? '';
    text.split('\n').forEach((line, i) => {
      if (line.length > 1000) return;
      const kind = ENV_PATTERNS.find(([re]) => re.test(line.trim()))?.[1];
      if (kind !== undefined) add(kind, ev(file, i + 1, line.split('=')[0]?.trim()));
    });
  }
  for (const svc of compose?.services ?? []) {
    const kind = COMPOSE_IMAGES.find(([re]) => svc.image !== undefined && re.test(svc.image))?.[1];
    if (kind !== undefined && compose !== undefined) add(kind, ev(compose.path, svc.line, `compose service ${svc.name}`));
  }
  return [...found].map(([kind, evidence]) => ({ kind, evidence }));
}

/** matchesName compares a dependency name with a pattern, `*` at the end matching any suffix. */
export function matchesName(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name;
}
