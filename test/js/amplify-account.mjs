// Drives Amplify JS v6 (the aws-amplify package) through account
// management against tarn, configured as an application would be, with
// userPoolEndpoint pointing at tarn:
//   - an administrator-created user signs in with its temporary password
//     and sets its own (NEW_PASSWORD_REQUIRED, with a required attribute);
//   - it changes attributes, confirms a new email with the emailed code,
//     asks for another code, deletes an attribute (not a required one);
//   - it signs in with USER_PASSWORD_AUTH, resets a forgotten password
//     and signs in with the new one, then deletes itself;
//   - a second user signs up, has its code resent, confirms, and Amplify
//     signs it in by itself (autoSignIn).
// Input: environment TARN_ENDPOINT, POOL_ID, CLIENT_ID (a client without a
// secret), ADMIN_EMAIL and ADMIN_USER (the created user's email and
// username), TEMP_PASSWORD, NEW_EMAIL, SIGNUP_EMAIL, PASSWORD,
// RESET_PASSWORD. The pool has UsernameAttributes [email] and email
// auto-verified.
// Output: one JSON line per step, {step, ok, code?, message?}; the script
// stops with exit status 1 at the first unexpected result.
import { Amplify } from "aws-amplify";
import {
  autoSignIn,
  confirmResetPassword,
  confirmSignIn,
  confirmSignUp,
  confirmUserAttribute,
  deleteUser,
  deleteUserAttributes,
  fetchUserAttributes,
  resendSignUpCode,
  resetPassword,
  sendUserAttributeVerificationCode,
  signIn,
  signOut,
  signUp,
  updateUserAttributes,
} from "aws-amplify/auth";
import { check, fails, newestCode, outbox, run, step } from "./steps.mjs";

const env = process.env;
const TARN = env.TARN_ENDPOINT;
const POOL_ID = env.POOL_ID;

Amplify.configure({
  Auth: { Cognito: { userPoolId: POOL_ID, userPoolClientId: env.CLIENT_ID, userPoolEndpoint: TARN } },
});

const messages = (username) => outbox(TARN, POOL_ID, username);

// delivered checks Amplify's view of a code delivery: by email, to a
// masked address (never the address itself).
function delivered(d, what) {
  check(d?.deliveryMedium === "EMAIL", `${what}: deliveryMedium ${JSON.stringify(d)}`);
  check(typeof d.destination === "string" && d.destination.includes("***") && !d.destination.includes(env.NEW_EMAIL),
    `${what}: destination ${JSON.stringify(d.destination)}`);
}

async function signedIn(username, password, authFlowType) {
  const r = await signIn({ username, password, options: authFlowType ? { authFlowType } : undefined });
  check(r.isSignedIn === true && r.nextStep?.signInStep === "DONE", `signIn result ${JSON.stringify(r)}`);
}

async function main() {
  const user = env.ADMIN_USER;
  await step("signInTemporaryPassword", async () => {
    const r = await signIn({ username: env.ADMIN_EMAIL, password: env.TEMP_PASSWORD });
    check(r.isSignedIn === false && r.nextStep?.signInStep === "CONFIRM_SIGN_IN_WITH_NEW_PASSWORD_REQUIRED",
      `signIn result ${JSON.stringify(r)}`);
    // The pool requires name, which the user has not got yet.
    check(JSON.stringify(r.nextStep.missingAttributes) === JSON.stringify(["name"]),
      `missingAttributes ${JSON.stringify(r.nextStep.missingAttributes)}`);
  });
  await step("confirmSignInNewPassword", async () => {
    const r = await confirmSignIn({ challengeResponse: env.PASSWORD, options: { userAttributes: { name: "Ben" } } });
    check(r.isSignedIn === true && r.nextStep?.signInStep === "DONE", `confirmSignIn result ${JSON.stringify(r)}`);
  });
  await step("fetchUserAttributes", async () => {
    const a = await fetchUserAttributes();
    check(a.name === "Ben" && a.email === env.ADMIN_EMAIL && a.sub === user, `attributes ${JSON.stringify(a)}`);
  });

  let before = (await messages(user)).length;
  await step("updateUserAttributes", async () => {
    const r = await updateUserAttributes({ userAttributes: { name: "Benjamin", given_name: "Ben", email: env.NEW_EMAIL } });
    check(r.name?.isUpdated === true && r.name.nextStep?.updateAttributeStep === "DONE", `name ${JSON.stringify(r.name)}`);
    check(r.given_name?.isUpdated === true, `given_name ${JSON.stringify(r.given_name)}`);
    check(r.email?.isUpdated === false && r.email.nextStep?.updateAttributeStep === "CONFIRM_ATTRIBUTE_WITH_CODE",
      `email ${JSON.stringify(r.email)}`);
    delivered(r.email.nextStep.codeDeliveryDetails, "email code");
    check(r.email.nextStep.codeDeliveryDetails.attributeName === "email", `attributeName ${JSON.stringify(r.email)}`);
  });
  await step("fetchUserAttributesUnverified", async () => {
    const a = await fetchUserAttributes();
    check(a.name === "Benjamin" && a.email === env.NEW_EMAIL && a.email_verified === "false", `attributes ${JSON.stringify(a)}`);
  });
  await fails("confirmUserAttributeWrongCode", "CodeMismatchException", () =>
    confirmUserAttribute({ userAttributeKey: "email", confirmationCode: "000000x" }),
  );
  await step("confirmUserAttribute", async () => {
    const code = newestCode(await messages(user), before);
    await confirmUserAttribute({ userAttributeKey: "email", confirmationCode: code });
    const a = await fetchUserAttributes();
    check(a.email === env.NEW_EMAIL && a.email_verified === "true", `attributes ${JSON.stringify(a)}`);
  });
  before = (await messages(user)).length;
  await step("sendUserAttributeVerificationCode", async () => {
    const r = await sendUserAttributeVerificationCode({ userAttributeKey: "email" });
    delivered(r, "verification code");
    const code = newestCode(await messages(user), before);
    await confirmUserAttribute({ userAttributeKey: "email", confirmationCode: code });
  });
  // name is required by the pool's schema; given_name is not.
  await fails("deleteRequiredAttribute", "InvalidParameterException", () => deleteUserAttributes({ userAttributeKeys: ["name"] }));
  await step("deleteUserAttributes", async () => {
    await deleteUserAttributes({ userAttributeKeys: ["given_name"] });
    const a = await fetchUserAttributes();
    check(!("given_name" in a) && a.name === "Benjamin" && a.email === env.NEW_EMAIL, `attributes ${JSON.stringify(a)}`);
  });
  await step("signOut", () => signOut());
  await fails("signInOldEmail", "UserNotFoundException", () => signIn({ username: env.ADMIN_EMAIL, password: env.PASSWORD }));
  await step("signInUserPasswordAuth", () => signedIn(env.NEW_EMAIL, env.PASSWORD, "USER_PASSWORD_AUTH"));
  await step("signOutAgain", () => signOut());

  before = (await messages(user)).length;
  await step("resetPassword", async () => {
    const r = await resetPassword({ username: env.NEW_EMAIL });
    check(r.isPasswordReset === false && r.nextStep?.resetPasswordStep === "CONFIRM_RESET_PASSWORD_WITH_CODE",
      `resetPassword result ${JSON.stringify(r)}`);
    delivered(r.nextStep.codeDeliveryDetails, "reset code");
  });
  await fails("confirmResetPasswordWrongCode", "CodeMismatchException", () =>
    confirmResetPassword({ username: env.NEW_EMAIL, confirmationCode: "000000x", newPassword: env.RESET_PASSWORD }),
  );
  await step("confirmResetPassword", async () => {
    const code = newestCode(await messages(user), before);
    await confirmResetPassword({ username: env.NEW_EMAIL, confirmationCode: code, newPassword: env.RESET_PASSWORD });
  });
  await fails("signInBeforeReset", "NotAuthorizedException", () => signIn({ username: env.NEW_EMAIL, password: env.PASSWORD }));
  await step("signInAfterReset", () => signedIn(env.NEW_EMAIL, env.RESET_PASSWORD));
  await step("deleteUser", () => deleteUser());
  await fails("signInDeleted", "UserNotFoundException", () => signIn({ username: env.NEW_EMAIL, password: env.RESET_PASSWORD }));

  let second;
  await step("signUpSecond", async () => {
    const r = await signUp({ username: env.SIGNUP_EMAIL, password: env.PASSWORD, options: { userAttributes: { name: "Cleo" }, autoSignIn: true } });
    check(r.nextStep?.signUpStep === "CONFIRM_SIGN_UP", `signUp result ${JSON.stringify(r)}`);
    second = r.userId;
  });
  let firstCode;
  await step("resendSignUpCode", async () => {
    firstCode = newestCode(await messages(second));
    const r = await resendSignUpCode({ username: env.SIGNUP_EMAIL });
    check(r.deliveryMedium === "EMAIL" && r.attributeName === "email", `resendSignUpCode result ${JSON.stringify(r)}`);
    const msgs = await messages(second);
    check(msgs.length === 2 && msgs[1].action === "ResendCode", `outbox ${JSON.stringify(msgs.map((m) => m.action))}`);
    check(newestCode(msgs) !== firstCode, "the resent code is the first one again");
  });
  // The resent code replaces the first.
  await fails("confirmSignUpFirstCode", "CodeMismatchException", () =>
    confirmSignUp({ username: env.SIGNUP_EMAIL, confirmationCode: firstCode }),
  );
  await step("confirmSignUpResentCode", async () => {
    const r = await confirmSignUp({ username: env.SIGNUP_EMAIL, confirmationCode: newestCode(await messages(second)) });
    check(r.isSignUpComplete === true && r.nextStep?.signUpStep === "COMPLETE_AUTO_SIGN_IN", `confirmSignUp result ${JSON.stringify(r)}`);
  });
  // Amplify signs the confirmed user in itself (autoSignIn after signUp):
  // with no USER_AUTH session from ConfirmSignUp, this Amplify does an
  // ordinary SRP sign-in with the password it kept.
  await step("autoSignIn", async () => {
    const r = await autoSignIn();
    check(r.isSignedIn === true && r.nextStep?.signInStep === "DONE", `autoSignIn result ${JSON.stringify(r)}`);
    const a = await fetchUserAttributes();
    check(a.email === env.SIGNUP_EMAIL && a.email_verified === "true" && a.name === "Cleo", `attributes ${JSON.stringify(a)}`);
  });
  await step("done", () => {});
}

run(main);
