import { loadConfig } from '../../src/config/config.js';
import { embeddedServerSettings, settingFlags } from '../../src/database/embedded-settings.js';

const GiB = 1024 ** 3;

describe('the embedded PostgreSQL, sized from the machine', () => {
  it('gives a quarter of memory to shared buffers and counts three quarters as cache', () => {
    expect(embeddedServerSettings(24 * GiB)).toMatchObject({
      shared_buffers: '6144MB',
      effective_cache_size: '18432MB',
      work_mem: '30MB',
      maintenance_work_mem: '1024MB',
    });
    // autoprewarm's refill after a restart slowed the first minutes of reads (bench/README.md).
    expect(embeddedServerSettings(24 * GiB)).not.toHaveProperty('shared_preload_libraries');
  });

  it('keeps PostgreSQL’s floor on a small machine and a ceiling on a large one', () => {
    expect(embeddedServerSettings(0.5 * GiB)).toMatchObject({ shared_buffers: '128MB', effective_cache_size: '512MB', work_mem: '4MB', maintenance_work_mem: '64MB' });
    expect(embeddedServerSettings(256 * GiB)).toMatchObject({ shared_buffers: '8192MB', work_mem: '64MB' });
  });

  it('lets EMBEDDED_PG_SETTINGS override or add any setting', () => {
    const { EMBEDDED_PG_SETTINGS } = loadConfig({ EMBEDDED_PG_SETTINGS: 'shared_buffers=2GB, work_mem=16MB jit=off' });
    const settings = embeddedServerSettings(24 * GiB, EMBEDDED_PG_SETTINGS);
    expect(settings).toMatchObject({ shared_buffers: '2GB', work_mem: '16MB', jit: 'off', effective_cache_size: '18432MB' });
    expect(settingFlags(settings)).toEqual(expect.arrayContaining(['-c', 'shared_buffers=2GB', '-c', 'unix_socket_directories=']));
  });
});
