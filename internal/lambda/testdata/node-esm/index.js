// Async ES-module handler used by the tests.
export const handler = async (event, context) => {
  switch (event.action) {
    case 'throw': {
      const e = new Error('esm boom');
      e.name = 'CustomError';
      throw e;
    }
    case 'hang':
      await new Promise((resolve) => setTimeout(resolve, 3_600_000));
      return null;
    case 'big':
      return 'x'.repeat(event.size);
    case 'pid':
      return { pid: process.pid };
  }
  await new Promise((resolve) => setTimeout(resolve, 1));
  console.log('esm log', event.n);
  return {
    ...event,
    esm: true,
    remaining: context.getRemainingTimeInMillis(),
    requestId: context.awsRequestId,
    greeting: process.env.GREETING,
    extra: process.env.TARN_EXTRA,
  };
};
