/**
 * `cosinventory_destination_grant`: one statement of one destination bucket's policy. A write
 * takes the policy (see DestinationPolicies), removes this grant's previous sid and any 0.1.0
 * statements it took over, upserts its statement and PUTs once; a delete removes its sid,
 * deleting the policy only when nothing is left. Statements of anyone else stay as they are.
 */
import { READBACK_FIRST_DELAY_MS, READBACK_MAX_DELAY_MS } from '../handler/read-back';
import { holdsStatement } from '../handler/policy-match';
import { isValidBucketName, isValidRegion } from '../model/bucket';
import { ROLE_ARN_PATTERN } from '../model/account';
import {
  findStatement,
  removeStatement,
  sidOf,
  upsertStatement,
  type PolicyDocument,
  type PolicyStatement,
} from '../model/policy';
import { errorDiagnostic, type Diagnostic } from '../tfplugin/diagnostics';
import type { ApplyRequest, ResourceDefinition } from '../tfplugin/provider';
import { isObject, isUnknown, UNKNOWN, type TfObject, type TfValue } from '../tfplugin/value';
import { ALLOWED_ACCOUNT_IDS, guardProblems } from './account-guard';
import { DestinationPolicies, policyReadKey, type Destination } from './destination-policies';
import {
  GRANT_SCHEMA,
  grantAttributesOf,
  grantId,
  grantState,
  grantStatement,
  statementTargets,
  type GrantAttributes,
} from './grant-schema';
import { legacyString, legacyTriggers } from './legacy-state';
import { GRANT_RESOURCE_TYPE } from './names';
import { decodePrivate, encodePrivate, isRecentWrite } from './private-state';
import type { ProviderRuntime } from './provider-runtime';
import type { SharedRead } from './shared-reads';

const SID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

function validateGrant(config: TfObject): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const invalid = (message: string) =>
    diagnostics.push(errorDiagnostic(`invalid ${GRANT_RESOURCE_TYPE}`, message));
  diagnostics.push(...guardProblems(config[ALLOWED_ACCOUNT_IDS], `invalid ${GRANT_RESOURCE_TYPE}`));
  const known = (value: TfValue | undefined): value is string => typeof value === 'string';
  if (known(config.bucket) && !isValidBucketName(config.bucket))
    invalid(
      `bucket: must be the destination bucket's name-appid (received ${JSON.stringify(config.bucket)})`,
    );
  if (known(config.region) && !isValidRegion(config.region))
    invalid(
      `region: must be a cos region id such as "ap-guangzhou" (received ${JSON.stringify(config.region)})`,
    );
  if (known(config.sid) && !SID_PATTERN.test(config.sid))
    invalid(`sid: must be 1-128 letters, digits, "_" or "-" (received ${JSON.stringify(config.sid)})`);
  if (known(config.role_arn) && !ROLE_ARN_PATTERN.test(config.role_arn))
    invalid(
      `role_arn: must be qcs::cam::uin/<uin>:roleName/<name> (received ${JSON.stringify(config.role_arn)})`,
    );
  for (const name of ['principals', 'resources'] as const) {
    const value = config[name];
    if (Array.isArray(value) && (value.length === 0 || value.some((item) => item === ''))) {
      invalid(`${name}: must list at least one non-empty string (received ${JSON.stringify(value)})`);
    }
  }
  return diagnostics;
}

function destinationOf(attributes: GrantAttributes): Destination {
  return { bucket: attributes.bucket, region: attributes.region, roleArn: attributes.roleArn };
}

export function grantResource(runtime: ProviderRuntime): ResourceDefinition {
  const policies = new DestinationPolicies(runtime);
  const where = (verb: string, attributes: GrantAttributes) => ({
    verb: `provider ${verb}`,
    bucket: attributes.bucket,
    id: attributes.sid,
  });

  const write = async (request: ApplyRequest, verb: string) => {
    const attributes = grantAttributesOf(request.plannedState);
    const prior = request.priorState === null ? undefined : grantAttributesOf(request.priorState);
    const retired = [
      ...(prior !== undefined && prior.sid !== attributes.sid ? [prior.sid] : []),
      ...(decodePrivate(request.plannedPrivate).legacySids ?? []),
    ].filter((sid) => sid !== attributes.sid);
    const statement = grantStatement(attributes);
    try {
      await runtime.checkAccount(attributes.allowedAccountIds ?? undefined, GRANT_RESOURCE_TYPE);
      await policies.edit(destinationOf(attributes), (current) => {
        let next: PolicyDocument | undefined = current;
        for (const sid of retired) next = removeStatement(next, sid);
        return upsertStatement(next, statement);
      });
    } catch (error) {
      return {
        diagnostics: [
          runtime.failure(
            `${verb} policy statement ${attributes.sid} of bucket ${attributes.bucket} failed`,
            error,
            where('attach-policy', attributes),
          ),
        ],
      };
    }
    return {
      state: grantState(attributes),
      private: encodePrivate({ writtenAt: runtime.clock.now() }),
    };
  };

  /** The destination's policy, read again with backoff while a recent write does not show in it. */
  const policyFor = async (
    attributes: GrantAttributes,
    privateBytes: Buffer,
  ): Promise<SharedRead<PolicyDocument | undefined>> => {
    const key = policyReadKey(destinationOf(attributes));
    const written = decodePrivate(privateBytes);
    const window = runtime.readBack.windowMs;
    const statement = grantStatement(attributes);
    let seen = await runtime.policies.current(key);
    let delay = READBACK_FIRST_DELAY_MS;
    while (
      !holdsStatement(seen.value, attributes.sid, statement) &&
      isRecentWrite(written, runtime.clock.now(), window)
    ) {
      if (runtime.clock.now() + delay - (written.writtenAt as number) > window) break;
      seen = await runtime.policies.fresher(key, seen, delay);
      delay = Math.min(delay * 2, READBACK_MAX_DELAY_MS);
    }
    return seen;
  };

  return {
    schema: GRANT_SCHEMA,

    validate: (config) => validateGrant(config),

    async plan(request) {
      const planned = request.generic.plannedState;
      if (planned === null || request.priorState === null) return {};
      // The id names the sid: a new sid (or an upgraded 0.1.0 grant) shows as a new id.
      const id =
        isUnknown(planned.sid) || isUnknown(planned.region) || isUnknown(planned.bucket)
          ? UNKNOWN
          : grantId(String(planned.region), String(planned.bucket), String(planned.sid));
      return { change: { ...request.generic, plannedState: { ...planned, id } } };
    },

    create: (request) => write(request, 'attaching'),

    update: (request) => write(request, 'updating'),

    async delete(priorState, priorPrivate) {
      const attributes = grantAttributesOf(priorState);
      const retired = [attributes.sid, ...(decodePrivate(priorPrivate).legacySids ?? [])];
      try {
        // The guard in state: the configuration that set it may be gone.
        await runtime.checkAccount(attributes.allowedAccountIds ?? undefined, GRANT_RESOURCE_TYPE);
        await policies.edit(destinationOf(attributes), (current) => {
          let next: PolicyDocument | undefined = current;
          for (const sid of retired) next = removeStatement(next, sid);
          return next;
        });
      } catch (error) {
        return {
          diagnostics: [
            runtime.failure(
              `detaching policy statement ${attributes.sid} from bucket ${attributes.bucket} failed`,
              error,
              where('detach-policy', attributes),
            ),
          ],
        };
      }
      return {};
    },

    async read(state, currentPrivate) {
      const attributes = grantAttributesOf(state);
      let seen: SharedRead<PolicyDocument | undefined>;
      try {
        seen = await policyFor(attributes, currentPrivate);
      } catch (error) {
        return {
          diagnostics: [
            runtime.failure(
              `reading the policy of bucket ${attributes.bucket} failed`,
              error,
              where('read', attributes),
            ),
          ],
        };
      }
      if (holdsStatement(seen.value, attributes.sid, grantStatement(attributes))) return { state };
      // An upgraded 0.1.0 grant stands for every legacy statement still there.
      const sid = [attributes.sid, ...(decodePrivate(currentPrivate).legacySids ?? [])].find(
        (candidate) => findStatement(seen.value, candidate) !== undefined,
      );
      if (sid === undefined) return { state: null };
      const stored = findStatement(seen.value, sid) as PolicyStatement;
      return { state: grantState({ ...attributes, sid, ...statementTargets(stored) }) };
    },

    async moveState(request) {
      try {
        const expected = '{ bucket, region, statements, sids }';
        const triggers = legacyTriggers(request, GRANT_RESOURCE_TYPE, expected);
        const bucket = legacyString(triggers, 'bucket', GRANT_RESOURCE_TYPE);
        const region = legacyString(triggers, 'region', GRANT_RESOURCE_TYPE);
        const statements = Array.isArray(triggers.statements) ? triggers.statements.filter(isObject) : [];
        const listed = Array.isArray(triggers.sids)
          ? triggers.sids.filter((sid): sid is string => typeof sid === 'string')
          : [];
        const sids = [...new Set([...listed, ...statements.map((s) => sidOf(s) ?? '').filter(Boolean)])];
        if (sids.length === 0) {
          throw new Error(
            `cannot move this terraform_data to ${GRANT_RESOURCE_TYPE}: triggers_replace holds no statement sids (expected ${expected})`,
          );
        }
        const targets = statements.map((s) => statementTargets(s));
        const attributes: GrantAttributes = {
          bucket,
          region,
          sid: sids[0],
          principals: [...new Set(targets.flatMap((t) => t.principals))],
          resources: [...new Set(targets.flatMap((t) => t.resources))],
          roleArn: null,
        };
        // Every 0.1.0 statement is retired by the grant's first write, in the same PUT.
        return {
          state: { ...grantState(attributes), id: grantId(region, bucket, sids.join(',')) },
          private: encodePrivate({ legacySids: sids }),
        };
      } catch (error) {
        return {
          diagnostics: [
            errorDiagnostic(
              `cannot move ${request.sourceTypeName} to ${GRANT_RESOURCE_TYPE}`,
              (error as Error).message,
            ),
          ],
        };
      }
    },
  };
}
