// Custom authentication as in the Cognito developer guide: one function
// file, three exported handlers for define, create and verify. The secret
// answer is "42"; three wrong answers fail the sign-in.
exports.define = async (event) => {
  const session = event.request.session;
  const last = session[session.length - 1];
  if (event.request.userNotFound) {
    event.response.failAuthentication = true;
  } else if (last && last.challengeName === "PASSWORD_VERIFIER") {
    if (last.challengeResult) {
      event.response.challengeName = "CUSTOM_CHALLENGE";
    } else {
      event.response.failAuthentication = true;
    }
  } else if (last && last.challengeName === "SRP_A") {
    event.response.challengeName = "PASSWORD_VERIFIER";
  } else if (last && last.challengeResult === true) {
    event.response.issueTokens = true;
  } else if (session.length >= 3) {
    event.response.failAuthentication = true;
  } else {
    event.response.challengeName = "CUSTOM_CHALLENGE";
  }
  event.response.issueTokens = !!event.response.issueTokens;
  event.response.failAuthentication = !!event.response.failAuthentication;
  return event;
};

exports.create = (event, context, callback) => {
  event.response.publicChallengeParameters = { question: "What is six times seven?" };
  event.response.privateChallengeParameters = { answer: "42" };
  event.response.challengeMetadata = "QUESTION-" + event.request.session.length;
  callback(null, event);
};

exports.verify = async (event) => {
  event.response.answerCorrect = event.request.challengeAnswer === event.request.privateChallengeParameters.answer;
  return event;
};
