/** The app-wide ConsoleApi client: the preload bridge in Electron, the web host's WebSocket otherwise. */
import { createApiClient, type ApiClient } from './client';
import { bridgeTransport } from './transport';
import { webSocketUrlFor, wsTransport } from './ws-transport';

export { ApiCallError, type ApiClient } from './client';

let client: ApiClient | null = null;

export function useApi(): ApiClient {
  if (!client) {
    const transport = window.omo
      ? bridgeTransport(window.omo)
      : wsTransport({ url: webSocketUrlFor(window.location) });
    client = createApiClient(transport);
  }
  return client;
}
