/**
 * The plugin server in process: a gRPC client dials it over mutual TLS on 127.0.0.1 as
 * Terraform does, and drives the provider service, go-plugin's services and health.
 */
import { X509Certificate } from 'node:crypto';
import { status, type ClientReadableStream, type ClientDuplexStream } from '@grpc/grpc-js';
import {
  attributePath,
  ctyNumber,
  ctyString,
  decodeValue,
  encodeValue,
  errorDiagnostic,
  generateServerCertificate,
  isUnknown,
  UNKNOWN,
  warningDiagnostic,
  type Message,
  type ProviderDefinition,
  type TfObject,
} from '../../src/tfplugin';
import { certificatePemOf, connect, type PluginConnection } from './plugin-client';

const dv = (value: TfObject | null) => ({ msgpack: encodeValue(value) });
const valueOf = (message: unknown) => decodeValue((message as { msgpack: Buffer }).msgpack);

/** A provider with one data source and one resource kept in memory. */
function testProvider() {
  const things = new Map<string, TfObject>();
  const calls: string[] = [];
  let counter = 0;
  const provider: ProviderDefinition = {
    schema: { block: { attributes: { region: { type: ctyString, optional: true } } } },
    validateConfig: (config) =>
      config.region === 'nowhere'
        ? [errorDiagnostic('bad region', 'no such region', attributePath('region'))]
        : [],
    configure: (config, version) => {
      calls.push(`configure ${String(config.region)} ${version}`);
      return [];
    },
    stop: () => {
      calls.push('stop');
    },
    dataSources: {
      echo: {
        schema: {
          block: {
            attributes: {
              input: { type: ctyString, required: true },
              output: { type: ctyString, computed: true },
            },
          },
        },
        validate: (config) =>
          config.input === ''
            ? [errorDiagnostic('empty input', 'input must not be empty', attributePath('input'))]
            : [],
        read: async (config) => {
          if (config.input === 'throw') throw new Error('the read exploded');
          if (config.input === 'warn') {
            return {
              state: { ...config, output: 'w' },
              diagnostics: [warningDiagnostic('careful', 'a warning')],
            };
          }
          return { state: { ...config, output: `echo: ${String(config.input)}` } };
        },
      },
    },
    resources: {
      thing: {
        schema: {
          version: 2,
          block: {
            attributes: {
              name: { type: ctyString, required: true, requiresReplace: true },
              size: { type: ctyNumber, optional: true },
              id: { type: ctyString, computed: true },
            },
          },
        },
        upgradeState: async (state, version) => ({
          state: { ...state, size: version === 1 ? Number(state.legacy_size) : state.size },
        }),
        create: async ({ plannedState }) => {
          const id = `thing-${++counter}`;
          const state = { ...plannedState, id };
          things.set(id, state);
          return { state, private: Buffer.from('created') };
        },
        update: async ({ plannedState }) => {
          things.set(String(plannedState.id), plannedState);
          return { state: plannedState };
        },
        delete: async (prior) => {
          if (prior.name === 'undeletable')
            return { diagnostics: [errorDiagnostic('cannot delete', 'refused')] };
          things.delete(String(prior.id));
          return {};
        },
        read: async (state) => ({ state: things.get(String(state.id)) ?? null }),
        importState: async (id) => {
          const state = things.get(id);
          return state ? { state } : { diagnostics: [errorDiagnostic('not found', `no thing ${id}`)] };
        },
      },
    },
  };
  return { provider, things, calls };
}

describe('plugin server', () => {
  let plugin: PluginConnection;
  let fixture: ReturnType<typeof testProvider>;
  const seen: string[] = [];

  beforeAll(async () => {
    fixture = testProvider();
    plugin = await connect(fixture.provider, { onCall: (method) => seen.push(method) });
  });
  afterAll(() => plugin.close());

  test('prints the go-plugin handshake line with the server certificate in unpadded standard base64', () => {
    const line = plugin.server.handshake;
    expect(line).toMatch(/^1\|6\|tcp\|127\.0\.0\.1:\d+\|grpc\|[A-Za-z0-9+/]+$/);
    expect(line.split('|')[3]).toBe(`127.0.0.1:${plugin.server.port}`);
    const der = plugin.server.certificate?.der as Buffer;
    expect(line.split('|')[5]).toBe(der.toString('base64').replace(/=+$/, ''));
    const certificate = new X509Certificate(certificatePemOf(line));
    expect(certificate.raw.equals(der)).toBe(true);
    expect(certificate.ca).toBe(true);
  });

  test('GetProviderSchema answers every schema with cty types as JSON bytes', async () => {
    const response = await plugin.call('provider', 'GetProviderSchema');
    const schemas = response as {
      provider: { block: { attributes: { name: string; optional: boolean }[] } };
      data_source_schemas: Record<
        string,
        { block: { attributes: { name: string; type: Buffer; computed: boolean }[] } }
      >;
      resource_schemas: Record<
        string,
        { version: number; block: { attributes: { name: string; type: Buffer }[] } }
      >;
    };
    expect(schemas.provider.block.attributes).toEqual([
      expect.objectContaining({ name: 'region', optional: true }),
    ]);
    const echo = schemas.data_source_schemas.echo.block.attributes;
    expect(echo.map((attribute) => [attribute.name, attribute.type.toString(), attribute.computed])).toEqual([
      ['input', '"string"', false],
      ['output', '"string"', true],
    ]);
    expect(schemas.resource_schemas.thing.version).toBe(2);
    expect(
      schemas.resource_schemas.thing.block.attributes.map((attribute) => attribute.type.toString()),
    ).toEqual(['"string"', '"number"', '"string"']);
  });

  test('GetMetadata lists the data sources and resources', async () => {
    const response = await plugin.call('provider', 'GetMetadata');
    expect(response.data_sources).toEqual([{ type_name: 'echo' }]);
    expect(response.resources).toEqual([{ type_name: 'thing' }]);
  });

  test('provider configuration: validation diagnostics with their attribute path, then configure', async () => {
    const invalid = await plugin.call('provider', 'ValidateProviderConfig', {
      config: dv({ region: 'nowhere' }),
    });
    expect(invalid.diagnostics).toEqual([
      {
        severity: 'ERROR',
        summary: 'bad region',
        detail: 'no such region',
        attribute: { steps: [{ attribute_name: 'region' }] },
      },
    ]);
    const valid = await plugin.call('provider', 'ValidateProviderConfig', {
      config: dv({ region: 'ap-guangzhou' }),
    });
    expect(valid.diagnostics).toEqual([]);
    await plugin.call('provider', 'ConfigureProvider', {
      terraform_version: '1.11.4',
      config: dv({ region: 'ap-guangzhou' }),
    });
    expect(fixture.calls).toContain('configure ap-guangzhou 1.11.4');
  });

  test('ValidateDataResourceConfig passes unknown values to the hook and answers its diagnostics', async () => {
    const unknown = await plugin.call('provider', 'ValidateDataResourceConfig', {
      type_name: 'echo',
      config: { msgpack: encodeValue({ input: UNKNOWN, output: null }) },
    });
    expect(unknown.diagnostics).toEqual([]);
    const empty = await plugin.call('provider', 'ValidateDataResourceConfig', {
      type_name: 'echo',
      config: dv({ input: '', output: null }),
    });
    expect(empty.diagnostics).toMatchObject([{ severity: 'ERROR', summary: 'empty input' }]);
  });

  test('ReadDataSource fills computed attributes; warnings travel with the state', async () => {
    const read = await plugin.call('provider', 'ReadDataSource', {
      type_name: 'echo',
      config: dv({ input: 'hello', output: null }),
    });
    expect(valueOf(read.state)).toEqual({ input: 'hello', output: 'echo: hello' });
    const warned = await plugin.call('provider', 'ReadDataSource', {
      type_name: 'echo',
      config: dv({ input: 'warn' }),
    });
    expect(valueOf(warned.state)).toEqual({ input: 'warn', output: 'w' });
    expect(warned.diagnostics).toMatchObject([
      { severity: 'WARNING', summary: 'careful', detail: 'a warning' },
    ]);
  });

  test('messages above grpc-js default limit of 4 MiB pass both ways, as go-plugin allows', async () => {
    const input = 'x'.repeat(6 * 1024 * 1024);
    const read = await plugin.call('provider', 'ReadDataSource', {
      type_name: 'echo',
      config: dv({ input }),
    });
    expect((valueOf(read.state) as TfObject).output).toBe(`echo: ${input}`);
  });

  test('a hook that throws becomes an error diagnostic naming the call, not a gRPC failure', async () => {
    const read = await plugin.call('provider', 'ReadDataSource', {
      type_name: 'echo',
      config: dv({ input: 'throw' }),
    });
    expect(read.state).toBeNull();
    expect(read.diagnostics).toMatchObject([
      { severity: 'ERROR', summary: 'ReadDataSource failed', detail: 'the read exploded' },
    ]);
  });

  test('an unknown type name is an error diagnostic listing the known ones', async () => {
    const read = await plugin.call('provider', 'ReadDataSource', { type_name: 'nope', config: dv({}) });
    expect(read.diagnostics).toMatchObject([
      { severity: 'ERROR', summary: 'unknown data source type "nope"', detail: 'this provider has "echo"' },
    ]);
    const plan = await plugin.call('provider', 'PlanResourceChange', { type_name: 'nope' });
    expect(plan.diagnostics).toMatchObject([{ summary: 'unknown resource type "nope"' }]);
    const validateData = await plugin.call('provider', 'ValidateDataResourceConfig', {
      type_name: 'nope',
      config: dv({}),
    });
    expect(validateData.diagnostics).toMatchObject([
      { severity: 'ERROR', summary: 'unknown data source type "nope"' },
    ]);
    const validateResource = await plugin.call('provider', 'ValidateResourceConfig', {
      type_name: 'nope',
      config: dv({}),
    });
    expect(validateResource.diagnostics).toMatchObject([
      { severity: 'ERROR', summary: 'unknown resource type "nope"' },
    ]);
  });

  test('a managed resource: plan, create, read, update with replacement, import, delete', async () => {
    const config = { name: 'a', size: 1, id: null };
    const planCreate = await plugin.call('provider', 'PlanResourceChange', {
      type_name: 'thing',
      prior_state: dv(null),
      proposed_new_state: dv(config),
      config: dv(config),
    });
    const planned = valueOf(planCreate.planned_state) as TfObject;
    expect(planned).toEqual({ name: 'a', size: 1, id: UNKNOWN });
    expect(isUnknown(planned.id)).toBe(true);
    expect(planCreate.requires_replace).toEqual([]);

    const created = await plugin.call('provider', 'ApplyResourceChange', {
      type_name: 'thing',
      prior_state: dv(null),
      planned_state: { msgpack: encodeValue(planned) },
      config: dv(config),
    });
    const state = valueOf(created.new_state) as TfObject;
    expect(state).toEqual({ name: 'a', size: 1, id: 'thing-1' });
    expect((created.private as Buffer).toString()).toBe('created');

    const read = await plugin.call('provider', 'ReadResource', {
      type_name: 'thing',
      current_state: dv(state),
    });
    expect(valueOf(read.new_state)).toEqual(state);

    const resized = { ...state, size: 2 };
    const planUpdate = await plugin.call('provider', 'PlanResourceChange', {
      type_name: 'thing',
      prior_state: dv(state),
      proposed_new_state: dv(resized),
      config: dv({ name: 'a', size: 2, id: null }),
    });
    expect(valueOf(planUpdate.planned_state)).toEqual(resized);
    expect(planUpdate.requires_replace).toEqual([]);
    const updated = await plugin.call('provider', 'ApplyResourceChange', {
      type_name: 'thing',
      prior_state: dv(state),
      planned_state: dv(resized),
      config: dv({ name: 'a', size: 2, id: null }),
    });
    expect(valueOf(updated.new_state)).toEqual(resized);

    const renamed = await plugin.call('provider', 'PlanResourceChange', {
      type_name: 'thing',
      prior_state: dv(resized),
      proposed_new_state: dv({ ...resized, name: 'b' }),
      config: dv({ name: 'b', size: 2, id: null }),
    });
    expect(renamed.requires_replace).toEqual([{ steps: [{ attribute_name: 'name' }] }]);

    const imported = await plugin.call('provider', 'ImportResourceState', {
      type_name: 'thing',
      id: 'thing-1',
    });
    expect(imported.imported_resources).toMatchObject([{ type_name: 'thing' }]);
    expect(valueOf((imported.imported_resources as Message[])[0].state)).toEqual(resized);
    const missing = await plugin.call('provider', 'ImportResourceState', {
      type_name: 'thing',
      id: 'thing-9',
    });
    expect(missing.diagnostics).toMatchObject([
      { severity: 'ERROR', summary: 'not found', detail: 'no thing thing-9' },
    ]);

    const planDestroy = await plugin.call('provider', 'PlanResourceChange', {
      type_name: 'thing',
      prior_state: dv(resized),
      proposed_new_state: dv(null),
      config: dv(null),
    });
    expect(valueOf(planDestroy.planned_state)).toBeNull();
    const destroyed = await plugin.call('provider', 'ApplyResourceChange', {
      type_name: 'thing',
      prior_state: dv(resized),
      planned_state: dv(null),
      config: dv(null),
    });
    expect(valueOf(destroyed.new_state)).toBeNull();
    expect(fixture.things.size).toBe(0);

    const gone = await plugin.call('provider', 'ReadResource', {
      type_name: 'thing',
      current_state: dv(resized),
    });
    expect(valueOf(gone.new_state)).toBeNull();
  });

  test('a failed delete keeps the prior state and reports the error', async () => {
    const prior = { name: 'undeletable', size: null, id: 'x' };
    const response = await plugin.call('provider', 'ApplyResourceChange', {
      type_name: 'thing',
      prior_state: dv(prior),
      planned_state: dv(null),
    });
    expect(valueOf(response.new_state)).toEqual(prior);
    expect(response.diagnostics).toMatchObject([{ severity: 'ERROR', summary: 'cannot delete' }]);
  });

  test('UpgradeResourceState: an older version goes through the hook; the state is shaped to the schema', async () => {
    const old = await plugin.call('provider', 'UpgradeResourceState', {
      type_name: 'thing',
      version: 1,
      raw_state: { json: Buffer.from(JSON.stringify({ name: 'a', legacy_size: '7', id: 'i' })) },
    });
    expect(valueOf(old.upgraded_state)).toEqual({ name: 'a', size: 7, id: 'i' });
    const current = await plugin.call('provider', 'UpgradeResourceState', {
      type_name: 'thing',
      version: 2,
      raw_state: { json: Buffer.from(JSON.stringify({ name: 'a', size: 3, id: 'i' })) },
    });
    expect(valueOf(current.upgraded_state)).toEqual({ name: 'a', size: 3, id: 'i' });
  });

  test('StopProvider runs the stop hook and answers no error', async () => {
    const response = await plugin.call('provider', 'StopProvider');
    expect(response).toEqual({ Error: '' });
    expect(fixture.calls).toContain('stop');
  });

  test('health answers SERVING, to Check and as the first Watch message', async () => {
    expect(await plugin.call('health', 'Check', { service: 'plugin' })).toEqual({ status: 'SERVING' });
    const health = plugin.client('health');
    const watch = (health.Watch as (request: Message) => ClientReadableStream<Message>).call(health, {
      service: 'plugin',
    });
    const first = await new Promise<Message>((resolve) => watch.once('data', resolve));
    expect(first).toEqual({ status: 'SERVING' });
    watch.on('error', () => undefined);
    watch.cancel();
  });

  test('every call is reported to onCall by method name', () => {
    expect(seen).toEqual(
      expect.arrayContaining(['GetProviderSchema', 'ReadDataSource', 'Check', 'StopProvider']),
    );
  });
});

describe('plugin server lifecycle and transport', () => {
  test('stdio and broker streams stay open until Shutdown, which ends them and stops the server', async () => {
    const plugin = await connect({});
    const stdio = (
      plugin.client('stdio').StreamStdio as (request: Message) => ClientReadableStream<Message>
    ).call(plugin.client('stdio'), {});
    const broker = (plugin.client('broker').StartStream as () => ClientDuplexStream<Message, Message>).call(
      plugin.client('broker'),
    );
    const stdioEnded = new Promise<void>((resolve) => stdio.on('end', resolve).on('error', () => resolve()));
    const brokerEnded = new Promise<void>((resolve) =>
      broker.on('end', resolve).on('error', () => resolve()),
    );
    stdio.on('data', () => undefined);
    broker.on('data', () => undefined);
    // A round trip proves the streams are established before Shutdown.
    await plugin.call('health', 'Check', {});
    let stopped = false;
    void plugin.server.stopped.then(() => (stopped = true));
    expect(stopped).toBe(false);
    expect(await plugin.call('controller', 'Shutdown')).toEqual({});
    await plugin.server.stopped;
    await Promise.all([stdioEnded, brokerEnded]);
    await plugin.close();
  });

  test('refuses a client whose certificate is not the one Terraform announced', async () => {
    const announced = generateServerCertificate();
    const stranger = generateServerCertificate();
    const plugin = await connect({}, {}, announced);
    const { credentials, makeGenericClientConstructor } = await import('@grpc/grpc-js');
    const { serviceDefinitions } = await import('../../src/tfplugin');
    const Health = makeGenericClientConstructor(serviceDefinitions().health, 'health');
    const client = new Health(
      plugin.server.address,
      credentials.createSsl(
        Buffer.from(certificatePemOf(plugin.server.handshake)),
        Buffer.from(stranger.privateKeyPem),
        Buffer.from(stranger.certificatePem),
      ),
    ) as unknown as {
      Check: (r: Message, cb: (e: (Error & { code?: number }) | null) => void) => void;
      close(): void;
    };
    const error = await new Promise<(Error & { code?: number }) | null>((resolve) =>
      client.Check({}, resolve),
    );
    expect(error?.code).toBe(status.UNAVAILABLE);
    client.close();
    await plugin.close();
  });
});
