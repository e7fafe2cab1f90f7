// Drives a user through tarn with Amplify JS v6 (the aws-amplify package),
// configured the way an application would be, with userPoolEndpoint
// pointing at tarn: sign-up, confirmation with the outbox code, SRP sign-in
// (Amplify's default flow), session and attributes, password change,
// sign-out, sign-in with the new password, and a wrong password.
// Input: environment TARN_ENDPOINT, POOL_ID, CLIENT_ID (a client without a
// secret), USERNAME (an email: the pool has UsernameAttributes [email]),
// PASSWORD, NEW_PASSWORD.
// Output: one JSON line per step, {step, ok, code?, message?}; the script
// stops with exit status 1 at the first unexpected result.
import { Amplify } from "aws-amplify";
import {
  confirmSignUp,
  fetchAuthSession,
  fetchUserAttributes,
  getCurrentUser,
  signIn,
  signOut,
  signUp,
  updatePassword,
} from "aws-amplify/auth";
import { check, fails, newestCode, outbox, run, step } from "./steps.mjs";

const env = process.env;
const TARN = env.TARN_ENDPOINT;
const POOL_ID = env.POOL_ID;
const USERNAME = env.USERNAME;
const PASSWORD = env.PASSWORD;
const NEW_PASSWORD = env.NEW_PASSWORD;

Amplify.configure({
  Auth: { Cognito: { userPoolId: POOL_ID, userPoolClientId: env.CLIENT_ID, userPoolEndpoint: TARN } },
});

// outboxCode returns the code of the newest outbox message for username.
const outboxCode = async (username) => newestCode(await outbox(TARN, POOL_ID, username));

// signedIn signs in with SRP (Amplify's default) and requires DONE.
async function signedIn(password) {
  const r = await signIn({ username: USERNAME, password });
  check(r.isSignedIn === true && r.nextStep?.signInStep === "DONE", `signIn result ${JSON.stringify(r)}`);
}

async function main() {
  let userId;
  await step("signUp", async () => {
    const r = await signUp({ username: USERNAME, password: PASSWORD, options: { userAttributes: { email: USERNAME } } });
    check(r.isSignUpComplete === false && r.nextStep?.signUpStep === "CONFIRM_SIGN_UP", `signUp result ${JSON.stringify(r)}`);
    check(typeof r.userId === "string" && r.userId !== "", `signUp userId ${JSON.stringify(r.userId)}`);
    userId = r.userId;
    return { report: { message: r.userId } };
  });
  await step("confirmSignUp", async () => {
    // With email as the username, the user's username is its sub (userId).
    const code = await outboxCode(userId);
    const r = await confirmSignUp({ username: USERNAME, confirmationCode: code });
    check(r.isSignUpComplete === true && r.nextStep?.signUpStep === "DONE", `confirmSignUp result ${JSON.stringify(r)}`);
  });
  await fails("signInWrongPassword", "NotAuthorizedException", () =>
    signIn({ username: USERNAME, password: PASSWORD + "-wrong" }),
  );
  await step("signIn", () => signedIn(PASSWORD));
  await step("getCurrentUser", async () => {
    const u = await getCurrentUser();
    check(u.userId === userId && u.username === userId, `getCurrentUser ${JSON.stringify(u)}`);
    check(u.signInDetails?.loginId === USERNAME && u.signInDetails?.authFlowType === "USER_SRP_AUTH",
      `signInDetails ${JSON.stringify(u.signInDetails)}`);
  });
  await step("fetchAuthSession", async () => {
    const s = await fetchAuthSession();
    const id = s.tokens?.idToken, access = s.tokens?.accessToken;
    check(id && access, `session without tokens: ${JSON.stringify(s)}`);
    check(id.payload.email === USERNAME, `idToken email ${JSON.stringify(id.payload.email)}`);
    check(id.payload.email_verified === true, `idToken email_verified ${JSON.stringify(id.payload.email_verified)}`);
    check(id.payload.sub === userId && s.userSub === userId, `sub ${id.payload.sub}, userSub ${s.userSub}, want ${userId}`);
    check(id.payload.aud === env.CLIENT_ID && id.payload.token_use === "id", `idToken claims ${JSON.stringify(id.payload)}`);
    check(access.payload.token_use === "access" && access.payload.client_id === env.CLIENT_ID,
      `accessToken claims ${JSON.stringify(access.payload)}`);
    check(id.payload.iss === `${TARN}/${POOL_ID}`, `iss ${id.payload.iss}`);
  });
  await step("fetchAuthSessionForceRefresh", async () => {
    const before = (await fetchAuthSession()).tokens.accessToken.toString();
    const s = await fetchAuthSession({ forceRefresh: true });
    check(s.tokens?.accessToken && s.tokens?.idToken, `refreshed session without tokens: ${JSON.stringify(s)}`);
    check(s.tokens.accessToken.toString() !== before, "forceRefresh kept the same access token");
    check(s.tokens.idToken.payload.email === USERNAME, `refreshed idToken email ${s.tokens.idToken.payload.email}`);
  });
  await step("fetchUserAttributes", async () => {
    const a = await fetchUserAttributes();
    check(a.email === USERNAME && a.email_verified === "true" && a.sub === userId, `attributes ${JSON.stringify(a)}`);
  });
  await fails("updatePasswordWrongOld", "NotAuthorizedException", () =>
    updatePassword({ oldPassword: PASSWORD + "-wrong", newPassword: NEW_PASSWORD }),
  );
  await step("updatePassword", () => updatePassword({ oldPassword: PASSWORD, newPassword: NEW_PASSWORD }));
  await step("signOut", async () => {
    await signOut();
    const s = await fetchAuthSession();
    check(s.tokens === undefined, `tokens after signOut: ${JSON.stringify(s.tokens)}`);
  });
  await fails("signInOldPassword", "NotAuthorizedException", () => signIn({ username: USERNAME, password: PASSWORD }));
  await step("signInNewPassword", () => signedIn(NEW_PASSWORD));
  await step("fetchAuthSessionNewPassword", async () => {
    const s = await fetchAuthSession();
    check(s.tokens?.idToken?.payload.email === USERNAME, `session after the new password: ${JSON.stringify(s.tokens)}`);
  });
  await step("signOutGlobal", () => signOut({ global: true }));
  await step("done", () => {});
}

run(main);
