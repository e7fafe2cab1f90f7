// Pre sign-up trigger, CommonJS with a callback, as older Lambda code is
// written. The username chooses the behaviour so one warm function serves
// every case of tarn's tests (cmd/tarn/e2e_triggers_*_test.go).
'use strict';

exports.handler = function (event, context, callback) {
  const name = event.userName;
  console.log(`presignup ${event.triggerSource} ${name}`);
  if (name.length < 5) {
    return callback(new Error(`Username ${name} is too short`));
  }
  if (name.startsWith('dotted')) {
    return callback(new Error('Sign-ups are closed.'));
  }
  if (name.startsWith('crash')) {
    process.exit(3);
  }
  if (name.startsWith('nonobject')) {
    return callback(null, 'not an event');
  }
  if (name.startsWith('huge')) {
    return callback(null, { ...event, padding: 'x'.repeat(7 * 1024 * 1024) });
  }
  if (name.startsWith('auto')) {
    event.response.autoConfirmUser = true;
    event.response.autoVerifyEmail = true;
  }
  callback(null, event);
};
