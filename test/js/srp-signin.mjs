// Signs a user in to tarn with amazon-cognito-identity-js (USER_SRP_AUTH,
// the library's default), then verifies the tokens with aws-jwt-verify.
// Input: environment TARN_ENDPOINT, POOL_ID, CLIENT_ID, USERNAME, PASSWORD,
// optional NEW_PASSWORD (answers NEW_PASSWORD_REQUIRED), AWS_ISSUER=1 when
// tarn issues AWS-style issuers. Output: one JSON line on stdout.
import { AuthenticationDetails, CognitoUser, CognitoUserPool } from "amazon-cognito-identity-js";
import { CognitoJwtVerifier, JwtRsaVerifier } from "aws-jwt-verify";

const env = process.env;
const out = (v) => process.stdout.write(JSON.stringify(v) + "\n");

const pool = new CognitoUserPool({ UserPoolId: env.POOL_ID, ClientId: env.CLIENT_ID, endpoint: env.TARN_ENDPOINT + "/" });
const user = new CognitoUser({ Username: env.USERNAME, Pool: pool });
const details = new AuthenticationDetails({ Username: env.USERNAME, Password: env.PASSWORD });

async function verify(session) {
  const id = session.getIdToken().getJwtToken();
  const access = session.getAccessToken().getJwtToken();
  const jwks = await (await fetch(`${env.TARN_ENDPOINT}/${env.POOL_ID}/.well-known/jwks.json`)).json();
  if (env.AWS_ISSUER === "1") {
    const idv = CognitoJwtVerifier.create({ userPoolId: env.POOL_ID, tokenUse: "id", clientId: env.CLIENT_ID });
    const acv = CognitoJwtVerifier.create({ userPoolId: env.POOL_ID, tokenUse: "access", clientId: env.CLIENT_ID });
    idv.cacheJwks(jwks);
    acv.cacheJwks(jwks);
    return { id: await idv.verify(id), access: await acv.verify(access) };
  }
  const issuer = `${env.TARN_ENDPOINT}/${env.POOL_ID}`;
  const v = JwtRsaVerifier.create({ issuer, audience: null, jwksUri: `${issuer}/.well-known/jwks.json` });
  v.cacheJwks(jwks);
  const idClaims = await v.verify(id);
  const accessClaims = await v.verify(access);
  if (idClaims.token_use !== "id" || idClaims.aud !== env.CLIENT_ID) throw new Error("bad id token claims");
  if (accessClaims.token_use !== "access" || accessClaims.client_id !== env.CLIENT_ID) throw new Error("bad access token claims");
  return { id: idClaims, access: accessClaims };
}

// The callbacks object is named so that newPasswordRequired can hand it to
// completeNewPasswordChallenge (inside an arrow function `this` is not it).
const callbacks = {
  onSuccess: async (session) => {
    try {
      const claims = await verify(session);
      out({ ok: true, username: user.getUsername(), refreshToken: session.getRefreshToken().getToken(), claims });
    } catch (e) {
      out({ ok: false, code: "VerifyFailed", message: String(e && e.message || e) });
    }
  },
  onFailure: (err) => out({ ok: false, code: err.code || err.name, message: err.message }),
  newPasswordRequired: (userAttributes, requiredAttributes) => {
    if (!env.NEW_PASSWORD) return out({ ok: false, code: "NewPasswordRequired", requiredAttributes });
    user.completeNewPasswordChallenge(env.NEW_PASSWORD, {}, callbacks);
  },
};

user.authenticateUser(details, callbacks);
