import { ControlClient, PlatformNotRunning } from '../control-client.js';
import type { PlatformLayout } from '../layout.js';

/**
 * Asks the running platform to take up a store's changed record: `reopen` stops the store and starts
 * it on its (new) database, `sync` starts a store that is new. Resolves false when no platform
 * runs: it reads the records when it starts.
 */
export type NotifyPlatform = (
  store: string,
  change: 'reopen' | 'sync',
  report: (message: string) => void,
) => Promise<boolean>;

/** The default NotifyPlatform: an operation on the platform's control socket. */
export function notifyThroughControlSocket(layout: PlatformLayout): NotifyPlatform {
  return async (store, change, report) => {
    const client = new ControlClient(layout);
    try {
      const path = change === 'reopen' ? `/stores/${store}/reopen` : '/sync';
      await client.operation(path, (message) => report(`platform: ${message}`));
      return true;
    } catch (err) {
      if (err instanceof PlatformNotRunning) return false;
      throw err;
    } finally {
      await client.close();
    }
  };
}
