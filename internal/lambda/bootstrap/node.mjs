// tarn's Node.js Lambda bootstrap: speaks the Lambda Runtime API at
// $AWS_LAMBDA_RUNTIME_API and runs the handler named by $_HANDLER from
// $LAMBDA_TASK_ROOT (CommonJS or ES module; async or callback handlers).
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const api = process.env.AWS_LAMBDA_RUNTIME_API || '';
const apiHost = api.slice(0, api.lastIndexOf(':'));
const apiPort = Number(api.slice(api.lastIndexOf(':') + 1));
const agent = new http.Agent({ keepAlive: true });
const MARK = '\x1etarn:end:';

function request(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: apiHost, port: apiPort, path: '/2018-06-01/runtime' + p, method, agent,
        headers: { 'Content-Type': 'application/json', ...(headers || {}) } },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
    req.on('error', reject);
    req.end(body);
  });
}

function named(type, message) {
  const e = new Error(message);
  e.name = type;
  return e;
}

function errorPayload(err) {
  if (err instanceof Error || (err && typeof err === 'object' && 'message' in err)) {
    const stack = typeof err.stack === 'string' ? err.stack.split('\n').slice(1).map((s) => s.trim()) : [];
    return { errorType: err.name || 'Error', errorMessage: String(err.message), stackTrace: stack };
  }
  const msg = typeof err === 'string' ? err : (JSON.stringify(err) ?? String(err));
  return { errorType: typeof err, errorMessage: msg, stackTrace: [] };
}

function isESM(file) {
  if (file.endsWith('.mjs')) return true;
  if (file.endsWith('.cjs')) return false;
  for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
    const pj = path.join(dir, 'package.json');
    if (fs.existsSync(pj)) {
      try { return JSON.parse(fs.readFileSync(pj, 'utf8')).type === 'module'; } catch { return false; }
    }
    if (path.dirname(dir) === dir) return false;
  }
}

async function loadHandler() {
  const root = process.env.LAMBDA_TASK_ROOT || process.cwd();
  const full = process.env._HANDLER || '';
  const slash = full.lastIndexOf('/');
  const base = full.slice(slash + 1);
  const dot = base.indexOf('.');
  if (dot < 1 || dot === base.length - 1) throw named('Runtime.MalformedHandlerName', `Bad handler ${full}`);
  const modName = full.slice(0, slash + 1) + base.slice(0, dot);
  const fnPath = base.slice(dot + 1).split('.');
  const stem = path.resolve(root, modName);
  const file = ['.js', '.mjs', '.cjs'].map((e) => stem + e).find((f) => fs.existsSync(f));
  if (!file) throw named('Runtime.ImportModuleError', `Error: Cannot find module '${modName}'`);
  let mod;
  try {
    mod = isESM(file) ? await import(pathToFileURL(file).href) : createRequire(file)(file);
  } catch (e) {
    if (e instanceof SyntaxError) throw named('Runtime.UserCodeSyntaxError', `${e.name}: ${e.message}`);
    throw e;
  }
  const resolve = (m) => fnPath.reduce((o, k) => (o == null ? undefined : o[k]), m);
  let fn = resolve(mod);
  if (fn === undefined && mod && mod.default) fn = resolve(mod.default);
  if (typeof fn !== 'function') throw named('Runtime.HandlerNotFound', `${full} is undefined or not exported`);
  return fn;
}

let current = null; // { id, finish }

function run(handler, event, context) {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (err, result) => {
      if (settled) return;
      settled = true;
      resolve(err !== undefined && err !== null ? { error: err } : { result });
    };
    current.finish = finish;
    context.done = finish;
    context.succeed = (r) => finish(null, r);
    context.fail = (e) => finish(e ?? named('Error', 'handled'));
    let ret;
    try {
      ret = handler(event, context, finish);
    } catch (e) {
      finish(e ?? named('Error', 'thrown'));
      return;
    }
    if (ret && typeof ret.then === 'function') {
      ret.then((r) => finish(null, r), (e) => finish(e ?? named('Error', 'rejected')));
    }
  });
}

function mark(id) {
  process.stdout.write(MARK + id + '\n');
  process.stderr.write(MARK + id + '\n');
}

async function fatal(err) {
  const cur = current;
  current = null;
  console.error(err);
  if (cur) {
    mark(cur.id);
    const p = errorPayload(err);
    try { await request('POST', `/invocation/${cur.id}/error`, JSON.stringify(p)); } catch {}
  }
  process.exit(129);
}
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);
// As on Lambda: when the event loop empties before the handler answers,
// the invocation ends with a null result.
process.on('beforeExit', () => { if (current && current.finish) current.finish(null, null); });

async function main() {
  let handler;
  try {
    handler = await loadHandler();
  } catch (e) {
    const p = errorPayload(e);
    console.error(`${p.errorType}: ${p.errorMessage}`);
    await request('POST', '/init/error', JSON.stringify(p), { 'Lambda-Runtime-Function-Error-Type': p.errorType });
    process.exit(1);
  }
  for (;;) {
    const next = await request('GET', '/invocation/next');
    if (next.status !== 200) throw new Error(`runtime API /next: status ${next.status}`);
    const h = next.headers;
    const id = h['lambda-runtime-aws-request-id'];
    const deadline = Number(h['lambda-runtime-deadline-ms']);
    if (h['lambda-runtime-trace-id']) process.env._X_AMZN_TRACE_ID = h['lambda-runtime-trace-id'];
    const context = {
      awsRequestId: id,
      invokedFunctionArn: h['lambda-runtime-invoked-function-arn'],
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    };
    current = { id };
    let out;
    try {
      out = await run(handler, JSON.parse(next.body.toString('utf8')), context);
    } catch (e) {
      out = { error: e };
    }
    current = null;
    let body;
    if (!out.error) {
      try {
        body = JSON.stringify(out.result === undefined ? null : out.result) ?? 'null';
      } catch (e) {
        out = { error: named('Runtime.MarshalError', `Unable to stringify response body: ${e.message}`) };
      }
    }
    if (out.error) {
      const p = errorPayload(out.error);
      console.error(`ERROR\t${p.errorType}: ${p.errorMessage}`);
      mark(id);
      await request('POST', `/invocation/${id}/error`, JSON.stringify(p), { 'Lambda-Runtime-Function-Error-Type': p.errorType });
    } else {
      mark(id);
      const r = await request('POST', `/invocation/${id}/response`, body);
      if (r.status !== 202) console.error(`runtime API rejected the response: ${r.status} ${r.body}`);
    }
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
