// Post confirmation trigger that adds every new user to the group "Users"
// with the AWS SDK for JavaScript v3, calling back into tarn: the runner
// sets AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER and dummy credentials.
import {
  AdminAddUserToGroupCommand,
  CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';

const client = new CognitoIdentityProviderClient({});

export const handler = async (event) => {
  await client.send(new AdminAddUserToGroupCommand({
    UserPoolId: event.userPoolId,
    Username: event.userName,
    GroupName: 'Users',
  }));
  console.log(`added ${event.userName} to Users`);
  return event;
};
