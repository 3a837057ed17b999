import { CosError } from './errors';
import { buildXml } from './xml';

/** The `<Error>` document COS sends with every error status. */
export function errorXml(error: CosError, resource: string, requestId: string): string {
  return buildXml({
    Error: {
      Code: error.code,
      Message: error.message,
      Resource: resource,
      RequestId: requestId,
      TraceId: Buffer.from(requestId).toString('base64'),
    },
  });
}
