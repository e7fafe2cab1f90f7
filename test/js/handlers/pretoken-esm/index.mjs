// Pre token generation V2_0 trigger: an ES module with an async handler.
// It adds claims to both tokens and keeps email out of the ID token.
export const handler = async (event) => {
  console.log(`pretoken ${event.triggerSource} version ${event.version}`);
  event.response = {
    claimsAndScopeOverrideDetails: {
      idTokenGeneration: {
        claimsToAddOrOverride: { tenant: { id: 'acme', tier: 2 }, plan: 'pro' },
        claimsToSuppress: ['email'],
      },
      accessTokenGeneration: {
        claimsToAddOrOverride: { tenant_id: 'acme', roles: ['reader', 'writer'] },
        scopesToAdd: ['orders/read'],
      },
    },
  };
  return event;
};
