import type { Result } from '@scia/api';
import type { JsonObject } from '@scia/runtime';
import { managed, partition, select } from './builder.js';
import { role } from './iam.js';
import type { Composed, RenderContext, Rendered } from './model.js';
import { logGroup, serverlessMonitoring } from './monitoring.js';
import { resourceName } from './naming.js';
import { lambdaWebAdapterLayer, runtimeFor } from './runtimes.js';
import { renderServices } from './services.js';
import { readStatements } from './services-env.js';
import { lambdaServices, type LambdaServices } from './services-lambda.js';

/**
 * renderServerless runs the app as a Lambda function behind its HTTPS function
 * URL (public, auth NONE, with the two permissions AWS requires for that): an
 * execution role with basic logging, the function's log group, the function
 * from the artifact (a container image, or a zip in S3 run through the Lambda
 * Web Adapter layer with `run.sh` as its handler), and, with monitoring,
 * error and throttle alarms. A function needs an artifact: there is no
 * from-source path, so a claim without `spec.artifact` is refused.
 */
export function renderServerless(ctx: RenderContext): Result<Rendered> {
  const { plan } = ctx;
  const artifact = plan.artifact;
  if (artifact === undefined) {
    return { ok: false, error: 'spec.artifact: serverless needs an artifact (a container image or a zip in S3) built by CI' };
  }
  const name = resourceName(ctx.target, 'function');
  const code = functionCode(ctx);
  if (!code.ok) return code;
  const services = renderServices(ctx, 'serverless');
  if (!services.ok) return services;
  const wiring = lambdaServices(ctx);
  const statements = readStatements(ctx, 'read');
  const resources: Composed[] = [
    ...role(ctx, {
      key: 'function-role',
      service: 'lambda.amazonaws.com',
      description: 'SCIA function execution: logs only',
      managedPolicies: ['service-role/AWSLambdaBasicExecutionRole', ...(wiring.vpcConfig === undefined ? [] : (['service-role/AWSLambdaVPCAccessExecutionRole'] as const))],
      ...(statements.length === 0 ? {} : { inline: { name: 'read-services', document: { Version: '2012-10-17', Statement: statements } } }),
    }),
    logGroup(ctx, 'logs', `/aws/lambda/${name}`),
    managed(ctx, 'function', 'Function', {
      description: `SCIA ${ctx.target.deployment}: ${plan.repository.url}`,
      roleSelector: select('function-role'),
      architectures: ['x86_64'],
      memorySize: plan.sizing.memoryMb,
      timeout: plan.sizing.timeoutSeconds,
      ...withServices(code.value, wiring),
    }),
    managed(ctx, 'function-url', 'FunctionURL', { authorizationType: 'NONE', functionNameSelector: select('function') }),
    managed(ctx, 'permission-url', 'Permission', {
      statementId: 'FunctionURLAllowPublicAccess',
      action: 'lambda:InvokeFunctionUrl',
      principal: '*',
      functionUrlAuthType: 'NONE',
      functionNameSelector: select('function'),
    }),
    managed(ctx, 'permission-invoke', 'Permission', {
      statementId: 'FunctionURLAllowInvokeAction',
      action: 'lambda:InvokeFunction',
      principal: '*',
      invokedViaFunctionUrl: true,
      functionNameSelector: select('function'),
    }),
  ];
  if (plan.monitoring) resources.push(...serverlessMonitoring(ctx, name));
  resources.push(...services.value.resources);
  return { ok: true, value: { resources, warnings: [], waiting: [...services.value.waiting, ...wiring.waiting] } };
}

function functionCode(ctx: RenderContext): { ok: true; value: JsonObject } | { ok: false; error: string } {
  const { plan } = ctx;
  const env = { PORT: String(plan.port) };
  if (plan.artifact?.image !== undefined) {
    return { ok: true, value: { packageType: 'Image', imageUri: plan.artifact.image, environment: { variables: env } } };
  }
  const s3 = plan.artifact?.s3;
  const runtime = runtimeFor(plan.language);
  if (s3 === undefined || runtime === undefined) {
    return { ok: false, error: `spec.artifact: a zip needs a Lambda runtime for language ${JSON.stringify(plan.language)}; use a container image` };
  }
  return {
    ok: true,
    value: {
      packageType: 'Zip',
      s3Bucket: s3.bucket,
      s3Key: s3.key,
      runtime: runtime.lambda,
      handler: 'run.sh',
      layers: [lambdaWebAdapterLayer(plan.region, partition(plan.region))],
      environment: { variables: { ...env, AWS_LAMBDA_EXEC_WRAPPER: '/opt/bootstrap' } },
    },
  };
}

/** withServices adds the services' variables to the function's environment and its VPC placement. */
function withServices(code: JsonObject, wiring: LambdaServices): JsonObject {
  const environment = code['environment'] as { variables: Record<string, string> };
  const out: JsonObject = { ...code, environment: { variables: { ...environment.variables, ...wiring.env } } };
  if (wiring.vpcConfig !== undefined) out['vpcConfig'] = wiring.vpcConfig;
  return out;
}
