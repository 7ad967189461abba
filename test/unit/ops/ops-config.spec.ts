/**
 * Rule: the operational settings (HOST, METRICS_PORT, METRICS_HOST, LOG_LEVEL, HTTP_*) have safe
 * defaults, and a bad value stops the service with a message naming the setting.
 */
import { ConfigError, loadConfig } from '../../../src/config/config';
import { describeAddress, localUrlOf, tokensWarning } from '../../../src/ops/startup';

describe('operational settings', () => {
  it('default: the API and /metrics on 127.0.0.1 only, /metrics on 9464, info logs, bounded HTTP', () => {
    const c = loadConfig({});
    expect({ host: c.host, metricsHost: c.metricsHost, metricsPort: c.metricsPort, logLevel: c.logLevel }).toEqual({
      host: '127.0.0.1',
      metricsHost: '127.0.0.1',
      metricsPort: 9464,
      logLevel: 'info',
    });
    expect(c.http).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1_000,
    });
  });

  it('PORT=0 and METRICS_PORT=0 (any free port, each its own) are taken', () => {
    expect(loadConfig({ PORT: '0', METRICS_PORT: '0' })).toMatchObject({ port: 0, metricsPort: 0 });
  });

  it('takes what is set', () => {
    const c = loadConfig({ HOST: '::', METRICS_PORT: 'off', METRICS_HOST: '0.0.0.0', LOG_LEVEL: 'warn' });
    expect({ host: c.host, metricsPort: c.metricsPort, metricsHost: c.metricsHost, logLevel: c.logLevel }).toEqual({
      host: '::',
      metricsPort: null,
      metricsHost: '0.0.0.0',
      logLevel: 'warn',
    });
  });

  it.each([
    [{ HOST: 'my host' }, 'HOST'],
    [{ METRICS_HOST: '' }, 'METRICS_HOST'],
    [{ METRICS_PORT: 'none' }, 'METRICS_PORT'],
    [{ METRICS_PORT: '70000' }, 'METRICS_PORT'],
    [{ PORT: '3000', METRICS_PORT: '3000' }, 'METRICS_PORT must differ from PORT (both 3000)'],
    [{ METRICS_PORT: '3000' }, 'METRICS_PORT must differ from PORT (both 3000)'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ HTTP_REQUEST_TIMEOUT_MS: '10' }, 'HTTP_REQUEST_TIMEOUT_MS'],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: '5s' }, 'HTTP_KEEP_ALIVE_TIMEOUT_MS'],
    [{ HTTP_MAX_CONNECTIONS: '0' }, 'HTTP_MAX_CONNECTIONS'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '40000' }, 'HTTP_HEADERS_TIMEOUT_MS'],
  ])('%j is refused, naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});

describe('what the service says at start', () => {
  it('names the address it really listens on, and says when that is every interface', () => {
    expect(describeAddress({ address: '127.0.0.1', family: 'IPv4', port: 3000 })).toBe('http://127.0.0.1:3000');
    expect(describeAddress({ address: '::', family: 'IPv6', port: 3000 })).toBe('http://[::]:3000 (every interface)');
    expect(describeAddress({ address: '0.0.0.0', family: 'IPv4', port: 9464 }, '/metrics')).toBe(
      'http://0.0.0.0:9464/metrics (every IPv4 interface)',
    );
    expect(localUrlOf({ address: '::', family: 'IPv6', port: 3000 })).toBe('http://127.0.0.1:3000');
    expect(localUrlOf({ address: '::1', family: 'IPv6', port: 3000 })).toBe('http://[::1]:3000');
  });

  it('warns when no token is known, and only then', () => {
    const config = loadConfig({});
    expect(tokensWarning(config, undefined)).toMatch(/LEDGER_TOKENS_FILE is not set/);
    const withFile = { ...config, tokensFile: '/etc/ledger/tokens.json' };
    expect(tokensWarning(withFile, 0)).toMatch(/holds no token/);
    expect(tokensWarning(withFile, 3)).toBeNull();
  });
});
