import nock from 'nock';
import { afterEach } from 'vitest';

// Tests never reach the network: only loopback servers that a test starts itself may be called.
nock.disableNetConnect();
nock.enableNetConnect(/^(127\.0\.0\.1|localhost|\[::1\])(:\d+)?$/);

afterEach(() => {
  nock.cleanAll();
});
