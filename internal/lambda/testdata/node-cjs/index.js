// Callback-style CommonJS handler used by the tests.
const fs = require('node:fs');
const path = require('node:path');

function echo(event, context) {
  return {
    ...event,
    pid: process.pid,
    remaining: context.getRemainingTimeInMillis(),
    requestId: context.awsRequestId,
    functionName: context.functionName,
    arn: context.invokedFunctionArn,
    env: {
      GREETING: process.env.GREETING,
      TARN_EXTRA: process.env.TARN_EXTRA,
      ENDPOINT: process.env.AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER,
      REGION: process.env.AWS_REGION,
      KEY: process.env.AWS_ACCESS_KEY_ID,
      VERSION: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      TASK_ROOT: process.env.LAMBDA_TASK_ROOT,
    },
    cwd: process.cwd(),
  };
}

exports.handler = function (event, context, callback) {
  switch (event.action) {
    case 'throw':
      throw new TypeError('cjs boom');
    case 'fail':
      return callback(new RangeError('callback boom'));
    case 'succeed':
      return setTimeout(() => context.succeed({ via: 'succeed' }), 5);
    case 'undefined':
      return callback(null, undefined);
    case 'noreturn':
      return { ignored: true }; // as on Lambda: no callback, empty event loop -> null
    case 'hang':
      setInterval(() => {}, 1000);
      return;
    case 'latethrow':
      setTimeout(() => { throw new SyntaxError('late boom'); }, 1);
      return;
    case 'exit':
      console.log('about to exit');
      process.exit(1);
    case 'barrier': {
      fs.writeFileSync(path.join(event.dir, `${process.pid}-${context.awsRequestId}`), '');
      const poll = () => {
        if (fs.readdirSync(event.dir).length >= event.want || context.getRemainingTimeInMillis() < 500) {
          return callback(null, { pid: process.pid });
        }
        setTimeout(poll, 5);
      };
      return poll();
    }
  }
  console.log('cjs log', event.n);
  console.error('cjs err line');
  callback(null, echo(event, context));
};
