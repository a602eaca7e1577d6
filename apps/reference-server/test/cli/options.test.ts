import { describe, expect, it } from 'vitest';
import { FLAGS, helpText, parseCommandLine } from '../../src/cli/options.js';

describe("wa-contacts-server's command line", () => {
  it('turns each flag into its variable', () => {
    expect(
      parseCommandLine([
        '--host',
        '0.0.0.0',
        '--port=0',
        '--data-dir',
        'memory',
        '--database-url',
        'postgres://u:p@127.0.0.1:5432/db',
        '--api-version',
        '2.41',
        '--business-number',
        '+447700900123',
        '--sandbox',
        'off',
        '--rate-limit',
        'off',
        '--misuse-policy',
        'enforce',
        '--log-level',
        'warn',
        '--seed',
        'world.json',
      ]),
    ).toEqual({
      kind: 'start',
      env: {
        HOST: '0.0.0.0',
        PORT: '0',
        WA_DATA_DIR: 'memory',
        DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db',
        WA_API_VERSION: '2.41',
        WA_BUSINESS_NUMBER: '+447700900123',
        WA_SANDBOX: 'off',
        WA_RATE_LIMIT: 'off',
        WA_MISUSE_POLICY: 'enforce',
        LOG_LEVEL: 'warn',
        WA_SEED: 'world.json',
      },
    });
  });

  it('sets nothing without flags, so the variables keep working', () => {
    expect(parseCommandLine([])).toEqual({ kind: 'start', env: {} });
  });

  it('knows --help, -h, --version', () => {
    expect(parseCommandLine(['--help'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['-h', '--port', '1'])).toEqual({ kind: 'help' });
    expect(parseCommandLine(['--version'])).toEqual({ kind: 'version' });
  });

  it('refuses an unknown flag and a positional argument', () => {
    expect(() => parseCommandLine(['--prot', '1'])).toThrow("Unknown option '--prot'");
    expect(() => parseCommandLine(['8080'])).toThrow(/Unexpected argument '8080'/);
  });

  it('lists every flag in --help with its variable and default', () => {
    const help = helpText();
    for (const flag of FLAGS) expect(help).toContain(`--${flag.name} ${flag.value}`);
    expect(help).toContain('[PORT, default 8080]');
    expect(help).toContain('[WA_DATA_DIR, default .data]');
    expect(help).toContain('[WA_SANDBOX, default on]');
    expect(help).toContain('[DATABASE_URL, default (none: PGlite)]');
  });
});
