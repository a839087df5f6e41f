// The test harness lives in test/support/; store/socket/realServer.test.ts still imports these from here.
export { CASEY, signIn, WES } from '../../test/support/sign-in';
export { startTestServer, type TestServer } from '../../test/support/test-server';
