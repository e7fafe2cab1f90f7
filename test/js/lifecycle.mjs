// Drives a whole user lifecycle against tarn with amazon-cognito-identity-js's
// own methods: sign-up, confirmation with the outbox code, SRP sign-in,
// attributes, session refresh, password change, sign-out, forgotten
// password, global sign-out, account deletion, and the failures the library
// keys on (wrong password, unknown user, duplicate sign-up, the resend limit).
// Input: environment TARN_ENDPOINT, POOL_ID, CLIENT_ID (a client without a
// secret), USERNAME, EMAIL; the pool auto-verifies email.
// Output: one JSON line per step, {step, ok, code?, message?}; the script
// stops with exit status 1 at the first unexpected result.
import {
  AuthenticationDetails,
  CognitoRefreshToken,
  CognitoUser,
  CognitoUserAttribute,
  CognitoUserPool,
} from "amazon-cognito-identity-js";
import { check, fails, newestCode, out, outbox as outboxOf, run, step } from "./steps.mjs";

const env = process.env;
const TARN = env.TARN_ENDPOINT;
const USERNAME = env.USERNAME;
const EMAIL = env.EMAIL;
const PASSWORDS = ["Passw0rd!first", "Passw0rd!second", "Passw0rd!third"];

const pool = new CognitoUserPool({ UserPoolId: env.POOL_ID, ClientId: env.CLIENT_ID, endpoint: TARN + "/" });
// nodeCall adapts the library's node-style callbacks.
const nodeCall = (f) => new Promise((resolve, reject) => f((err, res) => (err ? reject(err) : resolve(res))));

function newUser(username = USERNAME) {
  return new CognitoUser({ Username: username, Pool: pool });
}

function authenticate(user, password, username = USERNAME) {
  const details = new AuthenticationDetails({ Username: username, Password: password });
  return new Promise((resolve, reject) =>
    user.authenticateUser(details, {
      onSuccess: resolve,
      onFailure: reject,
      newPasswordRequired: () => reject(Object.assign(new Error("unexpected NEW_PASSWORD_REQUIRED"), { code: "NewPasswordRequired" })),
      mfaRequired: () => reject(Object.assign(new Error("unexpected SMS_MFA"), { code: "MfaRequired" })),
      totpRequired: () => reject(Object.assign(new Error("unexpected SOFTWARE_TOKEN_MFA"), { code: "TotpRequired" })),
      customChallenge: () => reject(Object.assign(new Error("unexpected CUSTOM_CHALLENGE"), { code: "CustomChallenge" })),
      mfaSetup: () => reject(Object.assign(new Error("unexpected MFA_SETUP"), { code: "MfaSetup" })),
      selectMFAType: () => reject(Object.assign(new Error("unexpected SELECT_MFA_TYPE"), { code: "SelectMfaType" })),
    }),
  );
}

const outbox = () => outboxOf(TARN, env.POOL_ID, USERNAME);
const newCode = async (before) => newestCode(await outbox(), before);

const attrMap = (list) => Object.fromEntries(list.map((a) => [a.getName(), a.getValue()]));

async function main() {
  const emailAttr = [new CognitoUserAttribute({ Name: "email", Value: EMAIL })];
  let user = newUser();
  let session;

  // Sign-up and confirmation.
  let before = (await outbox()).length;
  await step("signUp", async () => {
    const r = await nodeCall((cb) => pool.signUp(USERNAME, PASSWORDS[0], emailAttr, null, cb));
    check(r.userConfirmed === false, `userConfirmed = ${r.userConfirmed}`);
    check(typeof r.userSub === "string" && r.userSub !== "", "no userSub");
    check(r.user && r.user.getUsername() === USERNAME, "no CognitoUser in the result");
    const d = r.codeDeliveryDetails;
    check(d && d.DeliveryMedium === "EMAIL" && d.AttributeName === "email", `codeDeliveryDetails ${JSON.stringify(d)}`);
    check(typeof d.Destination === "string" && d.Destination.includes("*") && d.Destination !== EMAIL, `unmasked destination ${d.Destination}`);
  });
  await fails("signUpTwice", "UsernameExistsException", () =>
    nodeCall((cb) => pool.signUp(USERNAME, PASSWORDS[0], emailAttr, null, cb)),
  );
  await fails("authenticateUnconfirmed", "UserNotConfirmedException", () => authenticate(newUser(), PASSWORDS[0]));
  // Five new codes an hour, then LimitExceededException (api.md §9); the
  // newest code still confirms.
  await step("resendConfirmationCode", async () => {
    for (let i = 1; i <= 5; i++) {
      const r = await nodeCall((cb) => user.resendConfirmationCode(cb));
      const d = r.CodeDeliveryDetails;
      check(d && d.DeliveryMedium === "EMAIL", `resend ${i}: ${JSON.stringify(r)}`);
    }
  });
  await fails("resendPastLimit", "LimitExceededException", () => nodeCall((cb) => user.resendConfirmationCode(cb)));
  let signUpCode;
  await step("signUpCode", async () => {
    signUpCode = await newCode(before);
  });
  await step("confirmRegistration", async () => {
    const r = await nodeCall((cb) => user.confirmRegistration(signUpCode, false, cb));
    check(r === "SUCCESS", `result ${JSON.stringify(r)}`);
  });

  // SRP sign-in and attributes.
  await fails("authenticateWrongPassword", "NotAuthorizedException", () => authenticate(newUser(), "Wr0ng-password!"));
  await fails("authenticateUnknownUser", "UserNotFoundException", () =>
    authenticate(newUser("nobody-" + USERNAME), PASSWORDS[0], "nobody-" + USERNAME),
  );
  await step("authenticateUser", async () => {
    session = await authenticate(user, PASSWORDS[0]);
    check(session.isValid(), "session not valid");
    const id = session.getIdToken().decodePayload();
    check(id["cognito:username"] === USERNAME && id.email === EMAIL, `id token claims ${JSON.stringify(id)}`);
  });
  await step("getUserAttributes", async () => {
    const attrs = attrMap(await nodeCall((cb) => user.getUserAttributes(cb)));
    check(attrs.email === EMAIL && attrs.email_verified === "true", `attributes ${JSON.stringify(attrs)}`);
    check(typeof attrs.sub === "string" && attrs.sub !== "", "no sub attribute");
  });
  await step("updateAttributes", async () => {
    const r = await nodeCall((cb) => user.updateAttributes([new CognitoUserAttribute({ Name: "name", Value: "Lee Cycle" })], cb));
    check(r === "SUCCESS", `result ${JSON.stringify(r)}`);
    const attrs = attrMap(await nodeCall((cb) => user.getUserAttributes(cb)));
    check(attrs.name === "Lee Cycle", `name = ${attrs.name}`);
  });

  // Sessions.
  await step("getSession", async () => {
    const s = await nodeCall((cb) => user.getSession(cb));
    check(s.isValid(), "session not valid");
    check(s.getAccessToken().getJwtToken() === session.getAccessToken().getJwtToken(), "getSession did not return the cached session");
  });
  await step("getSessionFromStorage", async () => {
    // A fresh CognitoUser finds the tokens the library cached.
    const s = await nodeCall((cb) => newUser().getSession(cb));
    check(s.isValid() && s.getRefreshToken().getToken() === session.getRefreshToken().getToken(), "cached session differs");
  });
  await step("refreshSession", async () => {
    const old = session;
    session = await nodeCall((cb) => user.refreshSession(session.getRefreshToken(), cb));
    check(session.isValid(), "refreshed session not valid");
    check(session.getAccessToken().getJwtToken() !== old.getAccessToken().getJwtToken(), "same access token after refresh");
    check(session.getRefreshToken().getToken() !== "", "no refresh token after refresh");
    const id = session.getIdToken().decodePayload();
    check(id.name === "Lee Cycle", `refreshed id token name = ${id.name}`);
  });

  // Password change, sign-out, sign-in with the new password.
  await fails("changePasswordWrongOld", "NotAuthorizedException", () =>
    nodeCall((cb) => user.changePassword("Wr0ng-password!", PASSWORDS[1], cb)),
  );
  await step("changePassword", async () => {
    const r = await nodeCall((cb) => user.changePassword(PASSWORDS[0], PASSWORDS[1], cb));
    check(r === "SUCCESS", `result ${JSON.stringify(r)}`);
  });
  const signedOutRefresh = session.getRefreshToken();
  await step("signOut", async () => {
    // With a callback, signOut revokes the refresh token (RevokeToken) when
    // the access token carries origin_jti.
    await new Promise((resolve, reject) => user.signOut((err) => (err ? reject(err) : resolve())));
    check(user.getSignInUserSession() === null, "session kept after signOut");
  });
  if (session.getAccessToken().decodePayload().origin_jti) {
    await fails("refreshSessionAfterSignOut", "NotAuthorizedException", () =>
      nodeCall((cb) => newUser().refreshSession(signedOutRefresh, cb)),
    );
  }
  await fails("authenticateOldPassword", "NotAuthorizedException", () => authenticate(newUser(), PASSWORDS[0]));
  user = newUser();
  await step("authenticateNewPassword", async () => {
    session = await authenticate(user, PASSWORDS[1]);
  });

  // Forgotten password.
  before = (await outbox()).length;
  await step("forgotPasswordOnSuccess", async () => {
    // Without inputVerificationCode the library hands the answer to onSuccess.
    const data = await new Promise((resolve, reject) => newUser().forgotPassword({ onSuccess: resolve, onFailure: reject }));
    const d = data && data.CodeDeliveryDetails;
    check(d && d.DeliveryMedium === "EMAIL" && d.AttributeName === "email", `onSuccess: ${JSON.stringify(data)}`);
  });
  await step("forgotPassword", async () => {
    const r = await new Promise((resolve, reject) =>
      newUser().forgotPassword({
        onSuccess: (data) => resolve({ via: "onSuccess", data }),
        onFailure: reject,
        inputVerificationCode: (data) => resolve({ via: "inputVerificationCode", data }),
      }),
    );
    const d = r.data && r.data.CodeDeliveryDetails;
    check(d && d.DeliveryMedium === "EMAIL" && d.AttributeName === "email", `${r.via}: ${JSON.stringify(r.data)}`);
    check(r.via === "inputVerificationCode", `answered through ${r.via}`);
  });
  let resetCode;
  await step("forgotPasswordCode", async () => {
    resetCode = await newCode(before);
  });
  await fails("confirmPasswordWrongCode", "CodeMismatchException", () =>
    new Promise((resolve, reject) =>
      newUser().confirmPassword(resetCode === "000000" ? "111111" : "000000", PASSWORDS[2], { onSuccess: resolve, onFailure: reject }),
    ),
  );
  await step("confirmPassword", async () => {
    const r = await new Promise((resolve, reject) =>
      newUser().confirmPassword(resetCode, PASSWORDS[2], { onSuccess: resolve, onFailure: reject }),
    );
    check(r === "SUCCESS", `result ${JSON.stringify(r)}`);
  });
  await fails("authenticatePreviousPassword", "NotAuthorizedException", () => authenticate(newUser(), PASSWORDS[1]));
  user = newUser();
  await step("authenticateNewestPassword", async () => {
    session = await authenticate(user, PASSWORDS[2]);
  });

  // Global sign-out revokes the refresh token.
  const refreshToken = session.getRefreshToken();
  await step("globalSignOut", async () => {
    const r = await new Promise((resolve, reject) => user.globalSignOut({ onSuccess: resolve, onFailure: reject }));
    check(r === "SUCCESS", `result ${JSON.stringify(r)}`);
  });
  await fails("getUserAttributesAfterGlobalSignOut", "NotAuthorizedException", () =>
    // The library keeps the session in memory; tarn must reject its revoked
    // access token.
    nodeCall((cb) => user.getUserAttributes(cb)),
  );
  await fails("refreshSessionAfterGlobalSignOut", "NotAuthorizedException", () =>
    nodeCall((cb) => user.refreshSession(new CognitoRefreshToken({ RefreshToken: refreshToken.getToken() }), cb)),
  );

  // Account deletion.
  user = newUser();
  await step("authenticateBeforeDelete", async () => {
    session = await authenticate(user, PASSWORDS[2]);
  });
  await step("deleteUser", async () => {
    const r = await nodeCall((cb) => user.deleteUser(cb));
    check(r === "SUCCESS", `result ${JSON.stringify(r)}`);
  });
  await fails("authenticateDeletedUser", "UserNotFoundException", () => authenticate(newUser(), PASSWORDS[2]));
  out({ step: "done", ok: true });
}

run(main);
