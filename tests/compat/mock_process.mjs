// Starts `llmbench mock` as a child process for the compatibility tests and loads the npm
// clients they drive. The clients are imported dynamically so that a missing node_modules
// fails with instructions instead of a bare ERR_MODULE_NOT_FOUND.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const compatDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(compatDir, '..', '..');

// The arguments the task fixes; tests add per-suite flags after them.
export const MOCK_ARGS = ['--port', '0', '--ttft', '20ms', '--itl', '2ms', '--output-tokens', '16', '--seed', '7'];
export const MOCK_OUTPUT_TOKENS = 16;

const START_TIMEOUT_MS = 10_000;
const STOP_TIMEOUT_MS = 2_000;

export function missingNodeModulesMessage() {
  return (
    `tests/compat/node_modules is missing (looked in ${join(compatDir, 'node_modules')}).\n` +
    `Run \`npm ci --prefix tests/compat\` from the repository root ` +
    `(scripts/install-deps.sh test does it), then rerun the compat tests.`
  );
}

// Imports an npm package from tests/compat/node_modules. A missing node_modules is an error
// (the suite must not pass vacuously); `optional` packages resolve to null when absent.
export async function loadPackage(name, { optional = false } = {}) {
  if (!existsSync(join(compatDir, 'node_modules'))) throw new Error(missingNodeModulesMessage());
  try {
    createRequire(join(compatDir, 'package.json')).resolve(name);
  } catch (error) {
    if (optional) return null;
    throw new Error(`npm package '${name}' is not installed: ${error.message}\n${missingNodeModulesMessage()}`);
  }
  return import(name);
}

// The llmbench binary: --llmbench-bin=PATH (when a test file is run directly with node),
// LLMBENCH_BIN, or else a build directory that holds one. An explicit path must exist.
export function llmbenchBinary() {
  const flag = process.argv.find((arg) => arg.startsWith('--llmbench-bin='));
  const explicit = flag?.slice('--llmbench-bin='.length) || process.env.LLMBENCH_BIN;
  if (explicit) {
    if (!existsSync(explicit)) throw new Error(`llmbench binary '${explicit}' does not exist`);
    return explicit;
  }
  const candidates = ['release', 'mock', 'load'].map((dir) => join(repoRoot, 'build', dir, 'cli', 'llmbench'));
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `llmbench binary not found (tried ${candidates.join(', ')}); ` +
        `set LLMBENCH_BIN or build the 'llmbench' target`,
    );
  }
  return found;
}

const LISTEN_LINE = /^llmbench mock listening on (http:\/\/\S+)/;

// Spawns the mock and resolves once its first stdout line names the URL it listens on.
// Returns { url, stop }; stop() sends SIGTERM and waits for the exit (SIGKILL after 2 s).
// LLMBENCH_MOCK_ARGS adds flags to every mock (e.g. "--engine httplib").
export async function startMock(extraArgs = []) {
  const binary = llmbenchBinary();
  const envArgs = (process.env.LLMBENCH_MOCK_ARGS ?? '').split(/\s+/).filter(Boolean);
  const child = spawn(binary, ['mock', ...MOCK_ARGS, ...envArgs, ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (text) => {
    stderr += text;
  });
  const exited = new Promise((resolveExit) => child.once('exit', (code, signal) => resolveExit({ code, signal })));

  const url = await new Promise((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`llmbench mock printed no URL within ${START_TIMEOUT_MS} ms; stderr: ${stderr}`));
    }, START_TIMEOUT_MS);
    lines.once('line', (line) => {
      clearTimeout(timer);
      const match = LISTEN_LINE.exec(line);
      if (match) resolveUrl(match[1]);
      else reject(new Error(`unexpected first line from llmbench mock: '${line}'; stderr: ${stderr}`));
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${binary}: ${error.message}`));
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`llmbench mock exited (code ${code}, signal ${signal}) before listening; stderr: ${stderr}`));
    });
  });

  // A failing test must not leave the mock running.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  async function stop() {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return exited;
    child.kill('SIGTERM');
    let timer;
    const forced = new Promise((resolveForced) => {
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        resolveForced(null);
      }, STOP_TIMEOUT_MS);
    });
    const result = await Promise.race([exited, forced]);
    clearTimeout(timer);
    if (result === null) {
      // Known with --engine httplib: it waits for clients' idle keep-alive connections to close.
      console.log(`# llmbench mock did not exit within ${STOP_TIMEOUT_MS} ms of SIGTERM; killed`);
    }
    return result ?? exited;
  }

  return { url, stop, stderr: () => stderr };
}

// A fetch that records every request the client makes, so tests can count attempts and
// in-flight requests without changing what the client sends.
export function recordingFetch() {
  const attempts = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const fetchFn = async (input, init) => {
    attempts.push({ url: String(input instanceof Request ? input.url : input), startedMs: performance.now() });
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const response = await fetch(input, init);
      return response;
    } finally {
      inFlight -= 1;
    }
  };
  return {
    fetch: fetchFn,
    attempts,
    maxInFlight: () => maxInFlight,
  };
}
