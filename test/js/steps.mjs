// Step reporting shared by the client scripts the Go tests run
// (lifecycle.mjs, amplify-flow.mjs): each step prints one JSON line
// {step, ok, code?, message?}, and the first unexpected result ends the
// script with exit status 1 (see run).

export const out = (v) => process.stdout.write(JSON.stringify(v) + "\n");

// errInfo names an error the way the clients do: amazon-cognito-identity-js
// sets code (and name) to the Cognito exception, Amplify sets name.
export const errInfo = (e) => ({ code: (e && (e.code || e.name)) || "Error", message: String((e && e.message) || e) });

export class StepFailure extends Error {}

// check throws a CheckFailed error when cond is false.
export function check(cond, what) {
  if (!cond) throw Object.assign(new Error(what), { code: "CheckFailed" });
}

// step runs fn; success is printed as ok (with fn's result.report, or the
// result itself, merged into the line), a throw as not ok, which ends the
// script.
export async function step(name, fn) {
  let extra;
  try {
    extra = await fn();
  } catch (e) {
    out({ step: name, ok: false, ...errInfo(e) });
    throw new StepFailure(name);
  }
  out({ step: name, ok: true, ...((extra && extra.report) || extra || {}) });
  return extra;
}

// fails runs fn, which must fail with the Cognito exception code.
export async function fails(name, code, fn) {
  let result;
  try {
    result = await fn();
  } catch (e) {
    const info = errInfo(e);
    if (info.code === code) {
      out({ step: name, ok: true, ...info });
      return;
    }
    out({ step: name, ok: false, code: info.code, message: `want ${code}; got: ${info.message}` });
    throw new StepFailure(name);
  }
  out({ step: name, ok: false, code: "UnexpectedSuccess", message: `want ${code}; got ${JSON.stringify(result)}` });
  throw new StepFailure(name);
}

// outbox returns tarn's outbox messages for a user, oldest first.
export async function outbox(tarn, poolId, username) {
  const q = new URLSearchParams({ poolId, username });
  const resp = await fetch(`${tarn}/_tarn/messages?${q}`);
  if (!resp.ok) throw new Error(`GET /_tarn/messages: HTTP ${resp.status}`);
  return resp.json();
}

// newestCode returns the code of the newest of msgs, which must be more
// than before.
export function newestCode(msgs, before = 0) {
  check(Array.isArray(msgs) && msgs.length > before, `no new outbox message (still ${msgs.length})`);
  const code = msgs[msgs.length - 1].code;
  check(typeof code === "string" && code !== "", `outbox message without a code: ${JSON.stringify(msgs.at(-1))}`);
  return code;
}

// run runs main and exits: 0 when it finished, 1 at the first failure.
export function run(main) {
  main().then(
    () => process.exit(0),
    (e) => {
      if (!(e instanceof StepFailure)) out({ step: "script", ok: false, ...errInfo(e) });
      process.exit(1);
    },
  );
}
