// Prisma's schema engine (diff, introspection) as WebAssembly driven through a driver adapter,
// because the native schema-engine binary that `prisma migrate` needs cannot be had here.
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  type SqlDriverAdapter,
  type SqlQuery,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils'
import type { DiffTarget } from '@prisma/schema-engine-wasm'
import * as runtime from '@prisma/schema-engine-wasm/schema_engine_bg'

export const SCHEMA_PATH = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url))

/**
 * One side of a diff: nothing, the data model in schema.prisma (or the given text),
 * or the live database the engine's adapter points at.
 */
export type DiffSide = 'empty' | 'schema' | 'database' | { datamodel: string }

export interface SchemaEngineSession {
  /** The SQL script that takes `from` to `to`; '' when they already agree. */
  diffSql(from: DiffSide, to: DiffSide): Promise<string>
  /** The live database as a Prisma data model (what `prisma db pull` would write). */
  introspect(): Promise<string>
  close(): void
}

// Typed by hand: @types/node 20 does not declare the WebAssembly global (lib.dom does).
interface WasmApi {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: { __wbindgen_start(): void } } }>
}
const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

// The package's own entry imports the .wasm as an ES module, which Node cannot do: wire it up as
// that entry does, once per process (the JS glue keeps the instance in module state).
let wasmReady: Promise<void> | undefined
function loadWasm(): Promise<void> {
  wasmReady ??= (async () => {
    const glue = createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg')
    const bytes = await readFile(join(dirname(glue), 'schema_engine_bg.wasm'))
    // The glue reports a Rust panic's message here just before the wasm traps; without it the
    // message is lost (Prisma's CLI installs the same global).
    const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: { set_message(message: string): void } }
    g.PRISMA_WASM_PANIC_REGISTRY ??= { set_message: (message) => console.error(`schema engine panic: ${message}`) }
    const { instance } = await wasmApi.instantiate(bytes, { './schema_engine_bg.js': runtime })
    runtime.__wbg_set_wasm(instance.exports)
    instance.exports.__wbindgen_start()
  })()
  return wasmReady
}

/**
 * Starts an engine on the database behind `adapterFactory` (PrismaPg or PrismaPGlite).
 * `schemaPath` is the schema used for 'schema' and for naming the datasource on 'database'.
 */
export async function openSchemaEngine(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  { schemaPath = SCHEMA_PATH, log }: { schemaPath?: string; log?: (line: string) => void } = {},
): Promise<SchemaEngineSession> {
  await loadWasm()
  // The engine wants the error-capturing wrapper the CLI builds; it calls connect() itself, at once.
  const bound = bindMigrationAwareSqlAdapterFactory(
    adapterFactory.adapterName === '@prisma/adapter-pg' ? withPgCharColumns(adapterFactory) : adapterFactory,
  )
  const schemaFile = { path: schemaPath, content: await readFile(schemaPath, 'utf8') }
  const datamodels: [string, string][] = [[schemaFile.path, schemaFile.content]]
  const engine = await runtime.SchemaEngine.new({ datamodels }, log ?? (() => {}), bound)

  const target = (side: DiffSide): DiffTarget => {
    if (side === 'empty') return { tag: 'empty' }
    if (side === 'schema') return { tag: 'schemaDatamodel', files: [schemaFile] }
    // As `prisma migrate diff --from-config-datasource` sends it: the engine reads the live
    // database through the adapter ('url' would need the native engine).
    if (side === 'database') return { tag: 'schemaDatasource', files: [schemaFile], configDir: dirname(schemaPath) }
    return { tag: 'schemaDatamodel', files: [{ path: 'datamodel.prisma', content: side.datamodel }] }
  }

  return {
    async diffSql(from, to) {
      const result = await engine.diff({
        from: target(from),
        to: target(to),
        script: true,
        exitCode: true,
        filters: { externalTables: [], externalEnums: [] },
      })
      // exitCode 2 means "non-empty diff"; an empty diff still prints a comment line.
      return result.exitCode === 2 ? (result.stdout ?? '') : ''
    },
    async introspect() {
      const result = await engine.introspect({
        schema: { files: [schemaFile] },
        baseDirectoryPath: dirname(schemaPath),
        force: true,
        compositeTypeDepth: -1,
        namespaces: null,
      })
      return result.schema.files.map((f) => f.content).join('\n')
    },
    close() {
      engine.free()
    },
  }
}

// @prisma/adapter-pg 7.10 rejects result columns of PostgreSQL's internal type "char" (oid 18), which
// the engine's catalog queries return (pg_constraint.contype...) and must get as Character (as
// pglite-prisma-adapter reports them): let the adapter see bpchar, then retype those columns.
const PG_CHAR = 18
const PG_BPCHAR = 1042
type Queryable = Pick<SqlDriverAdapter, 'queryRaw'> & {
  performIO?: (query: SqlQuery) => Promise<{ fields: { dataTypeID: number }[]; rows: unknown[] }>
}
function withPgCharColumns(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  const charColumns = new WeakMap<object, number[]>() // result rows -> indexes of "char" columns
  const patch = <T extends Queryable>(queryable: T): T => {
    const performIO = queryable.performIO?.bind(queryable)
    if (!performIO) throw new Error('@prisma/adapter-pg changed (no performIO): is withPgCharColumns still needed?')
    queryable.performIO = async (query) => {
      const result = await performIO(query)
      const indexes = result.fields.flatMap((field, i) => (field.dataTypeID === PG_CHAR ? [i] : []))
      for (const i of indexes) result.fields[i]!.dataTypeID = PG_BPCHAR
      if (indexes.length) charColumns.set(result.rows, indexes)
      return result
    }
    const queryRaw = queryable.queryRaw.bind(queryable)
    queryable.queryRaw = async (query) => {
      const result = await queryRaw(query)
      for (const i of charColumns.get(result.rows) ?? []) result.columnTypes[i] = ColumnTypeEnum.Character
      return result
    }
    return queryable
  }
  const patchAdapter = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    const startTransaction = adapter.startTransaction.bind(adapter)
    adapter.startTransaction = async (isolationLevel) => patch(await startTransaction(isolationLevel))
    return patch(adapter)
  }
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => patchAdapter(await factory.connect()),
    connectToShadowDb: async () => patchAdapter(await factory.connectToShadowDb()),
  }
}
