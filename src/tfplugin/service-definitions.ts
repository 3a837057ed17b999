/**
 * gRPC service definitions built from the protocol text: each method's path and its
 * protobuf (de)serializers, in the shape `@grpc/grpc-js` serves and calls.
 *
 * Messages are plain objects with upstream's snake_case field names; 64-bit integers become
 * numbers, bytes become Buffers and enums their names, so handlers and tests read the same
 * shapes Terraform's documentation uses.
 */
import type { ServiceDefinition, MethodDefinition } from '@grpc/grpc-js';
import { parse, type Root, type Type, type Service, type IConversionOptions } from 'protobufjs';
import { GO_PLUGIN_DEFINITION, HEALTH_DEFINITION, PROTOCOL_DEFINITION } from './protocol-definition';

/** A decoded protobuf message. */
export type Message = Record<string, unknown>;

const CONVERSION: IConversionOptions = {
  longs: Number,
  enums: String,
  bytes: Buffer,
  defaults: true,
  arrays: true,
  objects: true,
  oneofs: false,
};

function serializer(type: Type): (value: Message) => Buffer {
  return (value) => Buffer.from(type.encode(type.fromObject(value)).finish());
}

function deserializer(type: Type): (bytes: Buffer) => Message {
  return (bytes) => type.toObject(type.decode(bytes), CONVERSION);
}

function definitionOf(root: Root, name: string): ServiceDefinition {
  const service = root.lookupService(name) as Service;
  const definition: Record<string, MethodDefinition<Message, Message>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const request = method.resolvedRequestType as Type;
    const response = method.resolvedResponseType as Type;
    definition[method.name] = {
      path: `/${name}/${method.name}`,
      requestStream: method.requestStream === true,
      responseStream: method.responseStream === true,
      requestSerialize: serializer(request),
      requestDeserialize: deserializer(request),
      responseSerialize: serializer(response),
      responseDeserialize: deserializer(response),
      originalName: method.name,
    };
  }
  return definition as ServiceDefinition;
}

/** The services of one plugin server: the provider, go-plugin's own, and health. */
export interface PluginServiceDefinitions {
  readonly provider: ServiceDefinition;
  readonly stdio: ServiceDefinition;
  readonly broker: ServiceDefinition;
  readonly controller: ServiceDefinition;
  readonly health: ServiceDefinition;
}

let cached: PluginServiceDefinitions | undefined;

/** Parses the protocol text once per process. */
export function serviceDefinitions(): PluginServiceDefinitions {
  if (cached) return cached;
  const options = { keepCase: true };
  const tfplugin = parse(PROTOCOL_DEFINITION, options).root;
  const goPlugin = parse(GO_PLUGIN_DEFINITION, options).root;
  const health = parse(HEALTH_DEFINITION, options).root;
  cached = {
    provider: definitionOf(tfplugin, 'tfplugin6.Provider'),
    stdio: definitionOf(goPlugin, 'plugin.GRPCStdio'),
    broker: definitionOf(goPlugin, 'plugin.GRPCBroker'),
    controller: definitionOf(goPlugin, 'plugin.GRPCController'),
    health: definitionOf(health, 'grpc.health.v1.Health'),
  };
  return cached;
}
