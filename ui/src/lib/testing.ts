// Shared test data for the UI's unit tests.
import type { AccountSummary } from './bindings/AccountSummary';
import type { AppInfo } from './bindings/AppInfo';

export function sampleInfo(overrides: Partial<AppInfo> = {}): AppInfo {
  return {
    app_version: '0.1.0',
    tl_layer: 229,
    data_dir: '/home/user/.local/share/hearth',
    database_path: '/home/user/.local/share/hearth/hearth.sqlite3',
    schema_version: 1,
    platform: 'linux x86_64',
    build_profile: 'debug',
    ...overrides,
  };
}

export function sampleAccount(overrides: Partial<AccountSummary> = {}): AccountSummary {
  return { id: 1, label: 'Personal', network: 'production', is_bot: false, ...overrides };
}
