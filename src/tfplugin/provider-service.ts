/**
 * The `tfplugin6.Provider` service: decodes each request, calls the provider's hooks and
 * encodes their answers. A hook that throws becomes an error diagnostic naming the call, so
 * Terraform shows it like any provider error instead of a broken plugin.
 */
import type { UntypedServiceImplementation, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { conformObject } from './conform';
import {
  attributePathMessage,
  diagnosticFromError,
  diagnosticMessages,
  errorDiagnostic,
  hasError,
  type Diagnostic,
} from './diagnostics';
import { fromDynamicValue, toDynamicValue, type DynamicValueMessage } from './dynamic-value';
import { genericPlan } from './generic-plan';
import type { DataSourceDefinition, ProviderDefinition, ResourceDefinition } from './provider';
import { EMPTY_SCHEMA, schemaMessage, type Schema } from './schema';
import type { Message } from './service-definitions';
import { containsUnknown, isObject, type TfObject, type TfValue } from './value';

type Handler = (request: Message) => Promise<Message>;

/**
 * Nothing here needs GetProviderSchema to have been called, so Terraform (1.6 and later) may
 * reuse the schema it fetched from the first plugin process of a command instead of asking
 * every process again (measured with 1.11.4: one GetProviderSchema per command, not four).
 * `move_resource_state` tells Terraform it may send MoveResourceState for `moved` blocks
 * whose source is another resource type.
 */
function serverCapabilities(resources: { readonly [name: string]: ResourceDefinition }): Message {
  return {
    plan_destroy: false,
    get_provider_schema_optional: true,
    move_resource_state: Object.values(resources).some((resource) => resource.moveState !== undefined),
  };
}

function objectOrNull(value: TfValue): TfObject | null {
  return isObject(value) ? value : null;
}

function objectOf(message: unknown): TfObject {
  return objectOrNull(fromDynamicValue(message as DynamicValueMessage)) ?? {};
}

function maybeObject(message: unknown): TfObject | null {
  return objectOrNull(fromDynamicValue(message as DynamicValueMessage));
}

function bytesOf(value: unknown): Buffer {
  return Buffer.isBuffer(value) ? value : Buffer.alloc(0);
}

function unknownType(kind: string, typeName: string, known: readonly string[]): Diagnostic {
  return errorDiagnostic(
    `unknown ${kind} type ${JSON.stringify(typeName)}`,
    `this provider has ${known.length === 0 ? `no ${kind} types` : known.map((name) => JSON.stringify(name)).join(', ')}`,
  );
}

/** Builds the handlers of the Provider service for one provider definition. */
export function providerHandlers(provider: ProviderDefinition): Record<string, Handler> {
  const dataSources = provider.dataSources ?? {};
  const resources = provider.resources ?? {};
  const capabilities = serverCapabilities(resources);

  const dataSource = (typeName: string): DataSourceDefinition | Diagnostic =>
    dataSources[typeName] ?? unknownType('data source', typeName, Object.keys(dataSources));
  const resource = (typeName: string): ResourceDefinition | Diagnostic =>
    resources[typeName] ?? unknownType('resource', typeName, Object.keys(resources));
  const isDiagnostic = (value: object): value is Diagnostic => 'severity' in value;

  /** Validate*Config: the type's own check of its configuration, or why the type is unknown. */
  const validateConfig = async (
    definition: DataSourceDefinition | ResourceDefinition | Diagnostic,
    config: unknown,
  ): Promise<Message> => ({
    diagnostics: diagnosticMessages(
      isDiagnostic(definition) ? [definition] : ((await definition.validate?.(objectOf(config))) ?? []),
    ),
  });
  const guarded = async (call: string, body: () => Promise<Message>): Promise<Message> => {
    try {
      return await body();
    } catch (error) {
      return { diagnostics: diagnosticMessages([diagnosticFromError(error, `${call} failed`)]) };
    }
  };

  const schemas = (definitions: { readonly [name: string]: { readonly schema: Schema } }) =>
    Object.fromEntries(
      Object.entries(definitions).map(([name, definition]) => [name, schemaMessage(definition.schema)]),
    );

  return {
    GetMetadata: async () => ({
      server_capabilities: capabilities,
      data_sources: Object.keys(dataSources).map((type_name) => ({ type_name })),
      resources: Object.keys(resources).map((type_name) => ({ type_name })),
      diagnostics: [],
    }),

    GetProviderSchema: async () => ({
      provider: schemaMessage(provider.schema ?? EMPTY_SCHEMA),
      resource_schemas: schemas(resources),
      data_source_schemas: schemas(dataSources),
      server_capabilities: capabilities,
      diagnostics: [],
    }),

    GetFunctions: async () => ({ diagnostics: [] }),

    ValidateProviderConfig: (request) =>
      guarded('ValidateProviderConfig', async () => ({
        diagnostics: diagnosticMessages((await provider.validateConfig?.(objectOf(request.config))) ?? []),
      })),

    ConfigureProvider: (request) =>
      guarded('ConfigureProvider', async () => ({
        diagnostics: diagnosticMessages(
          (await provider.configure?.(objectOf(request.config), String(request.terraform_version ?? ''))) ??
            [],
        ),
      })),

    ValidateDataResourceConfig: (request) =>
      guarded('ValidateDataResourceConfig', () =>
        validateConfig(dataSource(String(request.type_name)), request.config),
      ),

    ReadDataSource: (request) =>
      guarded('ReadDataSource', async () => {
        const definition = dataSource(String(request.type_name));
        if (isDiagnostic(definition)) return { diagnostics: diagnosticMessages([definition]) };
        const config = conformObject(objectOf(request.config), definition.schema.block);
        const result = await definition.read(config);
        const diagnostics = [...(result.diagnostics ?? [])];
        if (hasError(diagnostics) || !result.state) return { diagnostics: diagnosticMessages(diagnostics) };
        const state = conformObject(result.state, definition.schema.block);
        if (containsUnknown(state)) {
          diagnostics.push(errorDiagnostic('provider bug: a data source read answered an unknown value'));
          return { diagnostics: diagnosticMessages(diagnostics) };
        }
        return { state: toDynamicValue(state), diagnostics: diagnosticMessages(diagnostics) };
      }),

    ValidateResourceConfig: (request) =>
      guarded('ValidateResourceConfig', () =>
        validateConfig(resource(String(request.type_name)), request.config),
      ),

    UpgradeResourceState: (request) =>
      guarded('UpgradeResourceState', async () => {
        const definition = resource(String(request.type_name));
        if (isDiagnostic(definition)) return { diagnostics: diagnosticMessages([definition]) };
        const raw = (request.raw_state ?? {}) as { json?: Buffer };
        const json = bytesOf(raw.json);
        const stored = json.length > 0 ? objectOrNull(JSON.parse(json.toString('utf8')) as TfValue) : null;
        if (stored === null) return { upgraded_state: toDynamicValue(null), diagnostics: [] };
        const version = Number(request.version ?? 0);
        const current = definition.schema.version ?? 0;
        let state = stored;
        const diagnostics: Diagnostic[] = [];
        if (version !== current && definition.upgradeState) {
          const result = await definition.upgradeState(stored, version);
          diagnostics.push(...(result.diagnostics ?? []));
          if (hasError(diagnostics) || !result.state) return { diagnostics: diagnosticMessages(diagnostics) };
          state = result.state;
        }
        return {
          upgraded_state: toDynamicValue(conformObject(state, definition.schema.block)),
          diagnostics: diagnosticMessages(diagnostics),
        };
      }),

    ReadResource: (request) =>
      guarded('ReadResource', async () => {
        const definition = resource(String(request.type_name));
        if (isDiagnostic(definition)) return { diagnostics: diagnosticMessages([definition]) };
        const current = maybeObject(request.current_state);
        const currentPrivate = bytesOf(request.private);
        if (current === null)
          return { new_state: toDynamicValue(null), private: currentPrivate, diagnostics: [] };
        const result = await definition.read(current, currentPrivate);
        const diagnostics = result.diagnostics ?? [];
        if (hasError(diagnostics)) return { diagnostics: diagnosticMessages(diagnostics) };
        const state = result.state === undefined ? current : result.state;
        return {
          new_state: toDynamicValue(state === null ? null : conformObject(state, definition.schema.block)),
          private: result.private ?? currentPrivate,
          diagnostics: diagnosticMessages(diagnostics),
        };
      }),

    PlanResourceChange: (request) =>
      guarded('PlanResourceChange', async () => {
        const definition = resource(String(request.type_name));
        if (isDiagnostic(definition)) return { diagnostics: diagnosticMessages([definition]) };
        const priorState = maybeObject(request.prior_state);
        const proposedNewState = maybeObject(request.proposed_new_state);
        const config = maybeObject(request.config);
        const priorPrivate = bytesOf(request.prior_private);
        const generic = genericPlan(definition.schema, priorState, proposedNewState, config);
        let change = generic;
        const diagnostics: Diagnostic[] = [];
        if (definition.plan) {
          const result = await definition.plan({
            priorState,
            proposedNewState,
            config,
            priorPrivate,
            generic,
          });
          diagnostics.push(...(result.diagnostics ?? []));
          if (hasError(diagnostics)) return { diagnostics: diagnosticMessages(diagnostics) };
          change = result.change ?? generic;
        }
        const planned =
          change.plannedState === null ? null : conformObject(change.plannedState, definition.schema.block);
        return {
          planned_state: toDynamicValue(planned),
          requires_replace: change.requiresReplace.map(attributePathMessage),
          planned_private: change.plannedPrivate ?? priorPrivate,
          diagnostics: diagnosticMessages(diagnostics),
        };
      }),

    ApplyResourceChange: (request) =>
      guarded('ApplyResourceChange', async () => {
        const definition = resource(String(request.type_name));
        if (isDiagnostic(definition)) return { diagnostics: diagnosticMessages([definition]) };
        const priorState = maybeObject(request.prior_state);
        const plannedState = maybeObject(request.planned_state);
        const config = maybeObject(request.config);
        const plannedPrivate = bytesOf(request.planned_private);
        if (plannedState === null) {
          if (priorState === null) return { new_state: toDynamicValue(null), diagnostics: [] };
          const result = await definition.delete(priorState, plannedPrivate);
          const diagnostics = result.diagnostics ?? [];
          // A failed delete keeps the resource in state.
          const newState = hasError(diagnostics) ? priorState : null;
          return { new_state: toDynamicValue(newState), diagnostics: diagnosticMessages(diagnostics) };
        }
        const applyRequest = { priorState, plannedState, config, plannedPrivate };
        const result =
          priorState === null ? await definition.create(applyRequest) : await definition.update(applyRequest);
        const diagnostics = [...(result.diagnostics ?? [])];
        if (!result.state) {
          if (!hasError(diagnostics))
            diagnostics.push(errorDiagnostic('provider bug: apply answered no state'));
          return { diagnostics: diagnosticMessages(diagnostics) };
        }
        const newState = conformObject(result.state, definition.schema.block);
        if (containsUnknown(newState)) {
          diagnostics.push(errorDiagnostic('provider bug: apply left an unknown value in the new state'));
          return { diagnostics: diagnosticMessages(diagnostics) };
        }
        return {
          new_state: toDynamicValue(newState),
          private: result.private ?? plannedPrivate,
          diagnostics: diagnosticMessages(diagnostics),
        };
      }),

    ImportResourceState: (request) =>
      guarded('ImportResourceState', async () => {
        const typeName = String(request.type_name);
        const definition = resource(typeName);
        if (isDiagnostic(definition)) return { diagnostics: diagnosticMessages([definition]) };
        if (!definition.importState) {
          return {
            diagnostics: diagnosticMessages([
              errorDiagnostic(`resource type ${JSON.stringify(typeName)} does not support import`),
            ]),
          };
        }
        const result = await definition.importState(String(request.id ?? ''));
        const diagnostics = result.diagnostics ?? [];
        if (hasError(diagnostics) || !result.state) return { diagnostics: diagnosticMessages(diagnostics) };
        return {
          imported_resources: [
            {
              type_name: typeName,
              state: toDynamicValue(conformObject(result.state, definition.schema.block)),
              private: result.private ?? Buffer.alloc(0),
            },
          ],
          diagnostics: diagnosticMessages(diagnostics),
        };
      }),

    MoveResourceState: (request) =>
      guarded('MoveResourceState', async () => {
        const typeName = String(request.target_type_name);
        const definition = resource(typeName);
        if (isDiagnostic(definition)) return { diagnostics: diagnosticMessages([definition]) };
        const sourceType = String(request.source_type_name ?? '');
        if (!definition.moveState) {
          return {
            diagnostics: diagnosticMessages([
              errorDiagnostic(
                `resource type ${JSON.stringify(typeName)} cannot be the target of a moved block`,
                `received a move from ${JSON.stringify(sourceType)}; this type accepts no moves from another type`,
              ),
            ]),
          };
        }
        const raw = (request.source_state ?? {}) as { json?: Buffer };
        const json = bytesOf(raw.json);
        const sourceState =
          json.length > 0 ? objectOrNull(JSON.parse(json.toString('utf8')) as TfValue) : null;
        const result = await definition.moveState({
          sourceProviderAddress: String(request.source_provider_address ?? ''),
          sourceTypeName: sourceType,
          sourceSchemaVersion: Number(request.source_schema_version ?? 0),
          sourceState: sourceState ?? {},
          sourcePrivate: bytesOf(request.source_private),
        });
        const diagnostics = result.diagnostics ?? [];
        if (hasError(diagnostics) || !result.state) return { diagnostics: diagnosticMessages(diagnostics) };
        return {
          target_state: toDynamicValue(conformObject(result.state, definition.schema.block)),
          target_private: result.private ?? Buffer.alloc(0),
          diagnostics: diagnosticMessages(diagnostics),
        };
      }),

    StopProvider: async () => {
      try {
        await provider.stop?.();
        return { Error: '' };
      } catch (error) {
        return { Error: error instanceof Error ? error.message : String(error) };
      }
    },
  };
}

/** Adapts promise handlers to grpc-js's callback style. */
export function unaryImplementation(handlers: Record<string, Handler>): UntypedServiceImplementation {
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      (call: ServerUnaryCall<Message, Message>, callback: sendUnaryData<Message>) => {
        handler(call.request).then(
          (response) => callback(null, response),
          (error: unknown) => callback(error as Error),
        );
      },
    ]),
  );
}
