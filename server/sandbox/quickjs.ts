/**
 * Loading QuickJS's WebAssembly: once for the syntax checker, and for each script an instance of its own whose
 * memory cannot grow past the script's limit. The limits every QuickJS runtime here starts with live beside them.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { newQuickJSWASMModule, newQuickJSWASMModuleFromVariant, newVariant, RELEASE_SYNC, type QuickJSWASMModule } from 'quickjs-emscripten';

/** QuickJS frames live on the host's stack too: small enough that deep recursion fails inside the sandbox. */
export const MAX_STACK_BYTES = 256 * 1024;
/** Parsing alone gets these limits. */
export const CHECK_TIMEOUT_MS = 1_000;
export const CHECK_MEMORY_BYTES = 64 * 1024 * 1024;

let quickjs: Promise<QuickJSWASMModule> | undefined;
/** The WebAssembly module that checks syntax, loaded once. */
export const loadQuickJS = (): Promise<QuickJSWASMModule> => (quickjs ??= newQuickJSWASMModule(RELEASE_SYNC));

/** QuickJS's compiled WebAssembly, compiled once; each script instantiates it with a memory of its own. */
let compiledWasm: Promise<WebAssembly.Module> | undefined;
const wasmModule = (): Promise<WebAssembly.Module> =>
  (compiledWasm ??= WebAssembly.compile(readFileSync(createRequire(import.meta.url).resolve('@jitl/quickjs-wasmfile-release-sync/wasm'))));

/** The memory QuickJS's build starts with (its static data and first heap). */
const INITIAL_PAGES = 256;
const PAGE_BYTES = 64 * 1024;

/**
 * A QuickJS instance for one script, whose WebAssembly memory cannot grow past the script's limit (twice it, for
 * the allocator's own waste) plus what the build starts with. QuickJS's own accounting (`setMemoryLimit`) misses
 * some of what a script makes grow: with it alone, a 16 MB script grew the process by 1.5 GB.
 */
export async function boundedModule(memoryMb: number): Promise<QuickJSWASMModule> {
  const maximum = INITIAL_PAGES + Math.ceil((2 * memoryMb * 1024 * 1024) / PAGE_BYTES);
  const variant = newVariant(RELEASE_SYNC, { wasmModule: wasmModule, wasmMemory: new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum }) });
  return newQuickJSWASMModuleFromVariant(variant);
}
